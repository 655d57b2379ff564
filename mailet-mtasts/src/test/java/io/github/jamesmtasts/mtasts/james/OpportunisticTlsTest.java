package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.transport.mailets.remote.delivery.ExecutionResult;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.testing.SmtpScript;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * RFC 7435 opportunistic TLS in the per-host seam ({@code TlsPlan}): without a policy, under {@code none} and under
 * {@code testing}, any certificate is accepted and a failed handshake is retried once in plaintext; never under
 * {@code enforce}, never with {@code mtasts.opportunisticTls=false}. Real SMTP servers on 127.0.0.1.
 */
class OpportunisticTlsTest {

    private static final String DOMAIN = "opportunistic.test";
    private static final String MX = "mx.opportunistic.test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> START_TLS = Map.of("startTLS", "true");

    private static TestPki ca;
    private static TestPki strangerCa;

    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final RecordingMetricFactory metricFactory = new RecordingMetricFactory();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("opportunistic test CA");
        strangerCa = TestPki.create("private CA nobody trusts");
    }

    private static PolicyDecision decision(Mode mode) {
        if (mode == Mode.NONE) {
            return PolicyDecision.policy(name(DOMAIN), "n1", StsPolicy.of(Mode.NONE, Duration.ofDays(1), List.of(),
                List.of("version: STSv1", "mode: none", "max_age: 86400")));
        }
        return PolicyDecision.policy(name(DOMAIN), "id1", StsPolicy.of(mode, Duration.ofDays(1), List.of(MxPattern.of(MX)),
            List.of("version: STSv1", "mode: " + mode.token(), "mx: " + MX, "max_age: 86400")));
    }

    private HostAttempt testee(PolicyDecision decision, Map<String, String> parameters) {
        return HostAttempt.wire(decision, parameters, ca, recorder, metricFactory);
    }

    private static ExecutionResult deliver(HostAttempt testee, TestSmtpServer server) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setRecipients(MimeMessage.RecipientType.TO, "rcpt@" + DOMAIN);
        message.setSubject("opportunistic TLS test");
        message.setText("Hello\r\n");
        message.saveChanges();
        Mail mail = FakeMail.builder().name("mail1").sender("sender@sender.test").recipient("rcpt@" + DOMAIN)
            .mimeMessage(message).build();
        HostAddress host = new HostAddress(MX + ".", "smtp://" + server.address().getHostAddress() + ":" + server.port());
        return testee.deliver(mail, host, "rcpt@" + DOMAIN);
    }

    /** An MX whose every STARTTLS handshake fails: the JVM disables TLS 1.1, so no protocol is common. */
    private static TestSmtpServer brokenHandshakeMx() {
        return TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).startTlsProtocols("TLSv1.1").start();
    }

    static Stream<Arguments> unauthenticatedCertificates() {
        Instant now = Instant.now();
        Supplier<TestPki.ServerCertificate> privateCa = () -> strangerCa.issue(MX);
        Supplier<TestPki.ServerCertificate> expired = () -> ca.issue(now.minus(Duration.ofDays(10)),
            now.minus(Duration.ofDays(1)), MX);
        Supplier<TestPki.ServerCertificate> otherName = () -> ca.issue("mx.elsewhere.test");
        return Stream.of(
            Arguments.of("RFC 7435 no policy: certificate from a private CA", PolicyDecision.noPolicy(name(DOMAIN)), privateCa),
            Arguments.of("RFC 7435 no policy: expired certificate", PolicyDecision.noPolicy(name(DOMAIN)), expired),
            Arguments.of("RFC 7435 no policy: certificate for another name", PolicyDecision.noPolicy(name(DOMAIN)), otherName),
            Arguments.of("RFC 8461 5 mode none: certificate from a private CA", decision(Mode.NONE), privateCa),
            Arguments.of("RFC 8461 5 mode none: expired certificate", decision(Mode.NONE), expired));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unauthenticatedCertificates")
    void withoutPolicyAnyCertificateShouldCarryTheMailOverTlsAndCountAsSuccess(
        String name, PolicyDecision decision, Supplier<TestPki.ServerCertificate> certificate) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(certificate.get()).start()) {
            ExecutionResult result = deliver(testee(decision, START_TLS), server);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).tlsProtocol())
                .hasValueSatisfying(protocol -> assertThat(protocol).isIn("TLSv1.2", "TLSv1.3"));
            assertThat(server.sessionCount()).isEqualTo(1);
            // RFC 8460 4.4: a negotiated TLS session; nothing required authentication, so no 4.3 failure.
            assertThat(recorder.results()).containsExactly(SessionResult.success(decision.reportPolicy()));
        }
    }

    @Test
    void withoutPolicyAFailedHandshakeShouldBeRecordedThenRetriedOnceInPlaintext() throws Exception {
        try (TestSmtpServer server = brokenHandshakeMx()) {
            ExecutionResult result = deliver(testee(PolicyDecision.noPolicy(name(DOMAIN)), START_TLS), server);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isFalse();
            List<SmtpSessionRecord> sessions = server.awaitSessions(2, WAIT);
            assertThat(sessions).hasSize(2);
            assertThat(sessions.get(0).handshakeFailure()).isPresent();
            assertThat(sessions.get(0).messages()).isZero();
            assertThat(sessions.get(1).startTlsRequested()).isFalse();
            FailureDetails failure = recorder.results().get(0).failure().orElseThrow();
            assertThat(recorder.results()).hasSize(1);
            assertThat(recorder.results().get(0).policy()).isEqualTo(PolicyDecision.noPolicy(name(DOMAIN)).reportPolicy());
            assertThat(failure.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(failure.receivingMxHostname()).contains(MX);
            assertThat(metricFactory.countFor(DeliveryMetrics.PLAINTEXT_RETRY)).isEqualTo(1);
        }
    }

    @Test
    void testingShouldReportAFailedHandshakeAndDeliverInPlaintext() throws Exception {
        try (TestSmtpServer server = brokenHandshakeMx()) {
            ExecutionResult result = deliver(testee(decision(Mode.TESTING), Map.of()), server);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isFalse();
            assertThat(recorder.results()).extracting(r -> r.failure().orElseThrow().resultType())
                .containsExactly(ResultType.VALIDATION_FAILURE);
            assertThat(recorder.results().get(0).policy()).isEqualTo(decision(Mode.TESTING).reportPolicy());
        }
    }

    @Test
    void testingShouldStillReportAnUntrustedCertificate() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(strangerCa.issue(MX)).start()) {
            ExecutionResult result = deliver(testee(decision(Mode.TESTING), Map.of()), server);

            // RFC 8461 5: testing delivers, but the certificate is validated and its failure reported.
            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(recorder.results()).extracting(r -> r.failure().orElseThrow().resultType())
                .containsExactly(ResultType.CERTIFICATE_NOT_TRUSTED);
        }
    }

    @Test
    void enforceShouldNeverRetryAFailedHandshakeInPlaintext() throws Exception {
        try (TestSmtpServer server = brokenHandshakeMx()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), START_TLS);

            assertThatThrownBy(() -> deliver(testee, server)).isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
            server.awaitSessions(1, WAIT);
            assertThat(server.sessionCount()).isEqualTo(1);
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(server.messages()).isEmpty();
            assertThat(metricFactory.countFor(DeliveryMetrics.PLAINTEXT_RETRY)).isZero();
        }
    }

    @Test
    void opportunisticTlsFalseShouldKeepTheStockCertificateCheckWithoutPolicy() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(strangerCa.issue(MX)).start()) {
            HostAttempt testee = testee(PolicyDecision.noPolicy(name(DOMAIN)),
                Map.of("startTLS", "true", MtaStsDeliverySettings.OPPORTUNISTIC_TLS, "false"));

            // Stock James: javax.mail checks the chain against the JVM trust store; the handshake fails, no fallback.
            assertThatThrownBy(() -> deliver(testee, server)).isInstanceOf(MessagingException.class);
            server.awaitSessions(1, WAIT);
            assertThat(server.sessionCount()).isEqualTo(1);
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void opportunisticTlsFalseShouldNotRetryAFailedHandshakeUnderTesting() throws Exception {
        try (TestSmtpServer server = brokenHandshakeMx()) {
            HostAttempt testee = testee(decision(Mode.TESTING),
                Map.of(MtaStsDeliverySettings.OPPORTUNISTIC_TLS, "false"));

            assertThatThrownBy(() -> deliver(testee, server)).isInstanceOf(MessagingException.class);
            server.awaitSessions(1, WAIT);
            assertThat(server.sessionCount()).isEqualTo(1);
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void aRefusedStartTlsShouldKeepItsStockMeaningAndNotBeRetriedInPlaintext() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX)
            .script(SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, "454 4.7.0 TLS not available")).start()) {
            HostAttempt testee = testee(PolicyDecision.noPolicy(name(DOMAIN)), START_TLS);

            // The MX answered; it did not fail a handshake. Stock: 4xx means try again later.
            assertThatThrownBy(() -> deliver(testee, server)).isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.getMessage()).startsWith("454"));
            server.awaitSessions(1, WAIT);
            assertThat(server.sessionCount()).isEqualTo(1);
            assertThat(server.plaintextMailCommands()).isZero();
        }
    }

    @Test
    void withoutStartTlsConfiguredNoPolicyDomainsShouldStayInPlaintextAsStock() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(strangerCa.issue(MX)).start()) {
            ExecutionResult result = deliver(testee(PolicyDecision.noPolicy(name(DOMAIN)), Map.of()), server);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isFalse();
            assertThat(recorder.results()).isEmpty();
        }
    }
}
