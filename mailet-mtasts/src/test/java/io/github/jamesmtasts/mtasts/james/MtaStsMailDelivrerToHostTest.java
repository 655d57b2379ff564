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
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
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

import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.SessionProbe;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.StartTlsNotSupportedException;
import io.github.jamesmtasts.tlsrpt.james.ReportMails;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.SmtpScript;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/** The per-host seam against real SMTP servers on 127.0.0.1, with and without STARTTLS and with bad certificates. */
class MtaStsMailDelivrerToHostTest {

    private static final String DOMAIN = "enforce.test";
    private static final String MX = "mx1.enforce.test";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestPki ca;
    private static TestPki strangerCa;

    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final RecordingMetricFactory metricFactory = new RecordingMetricFactory();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("delivery test CA");
        strangerCa = TestPki.create("stranger delivery CA");
    }

    private static PolicyDecision decision(Mode mode) {
        StsPolicy policy = StsPolicy.of(mode, Duration.ofDays(1), List.of(MxPattern.of("*." + DOMAIN)),
            List.of("version: STSv1", "mode: " + mode.token(), "mx: *." + DOMAIN, "max_age: 86400"));
        return PolicyDecision.policy(name(DOMAIN), "id1", policy);
    }

    private HostAttempt testee(PolicyDecision decision, Map<String, String> parameters) {
        return HostAttempt.wire(decision, parameters, ca, recorder, metricFactory);
    }

    private static Mail mail(String... headers) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setRecipients(MimeMessage.RecipientType.TO, "rcpt@" + DOMAIN);
        message.setSubject("MTA-STS delivery test");
        message.setText("Hello over a protected channel\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            message.setHeader(headers[i], headers[i + 1]);
        }
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipient("rcpt@" + DOMAIN)
            .mimeMessage(message).build();
    }

    /** One MX attempt within a delivery attempt whose decisions the delivery loop's gate made. */
    private static ExecutionResult deliver(HostAttempt testee, Mail mail, TestSmtpServer server, String mx)
        throws MessagingException {
        return testee.deliver(mail, hostAddress(server, mx), "rcpt@" + DOMAIN);
    }

    private static ExecutionResult deliver(HostAttempt testee, MailDecisions decisions, Mail mail, TestSmtpServer server,
                                           String mx) throws MessagingException {
        return testee.deliver(decisions, mail, hostAddress(server, mx), "rcpt@" + DOMAIN);
    }

    private static HostAddress hostAddress(TestSmtpServer server, String mx) {
        return new HostAddress(mx + ".", "smtp://" + server.address().getHostAddress() + ":" + server.port());
    }

    @Test
    void aHostOutsideADeliveryAttemptShouldBeUnreachableAndNotConnected() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(ca.issue(MX)).start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), Map.of());

            assertThatThrownBy(() -> testee.toHost.tryDeliveryToHost(mail(),
                    List.of(new InternetAddress("rcpt@" + DOMAIN)), hostAddress(server, MX)))
                .isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
            assertThat(server.sessionCount()).isZero();
            assertThat(recorder.results()).isEmpty();
        }
    }

    @Test
    void enforceShouldDeliverOverTlsPresentingTheMxName() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).start()) {
            ExecutionResult result = deliver(testee(decision(Mode.ENFORCE), Map.of()), mail(), server, MX);

            assertThat(result).isEqualTo(ExecutionResult.success());
            List<ReceivedMessage> messages = server.awaitMessages(1, WAIT);
            assertThat(messages.get(0).tlsProtocol()).hasValueSatisfying(p -> assertThat(p).isIn("TLSv1.2", "TLSv1.3"));
            assertThat(messages.get(0).envelopeTo()).containsExactly("rcpt@" + DOMAIN);
            SmtpSessionRecord session = server.awaitSessions(1, WAIT).get(0);
            assertThat(session.serverNameIndication()).contains(MX);
            assertThat(recorder.results()).containsExactly(SessionResult.success(decision(Mode.ENFORCE).reportPolicy()));
            assertThat(metricFactory.countFor("mtasts_sessions_success")).isEqualTo(1);
        }
    }

    static Stream<Arguments> enforceRefusals() {
        Instant now = Instant.now();
        return Stream.of(
            refusal("A 5 enforce: no STARTTLS offered is starttls-not-supported", Optional::empty,
                ResultType.STARTTLS_NOT_SUPPORTED, Optional.empty()),
            refusal("A 5 enforce: expired certificate is certificate-expired",
                () -> Optional.of(ca.issue(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), MX)),
                ResultType.CERTIFICATE_EXPIRED, Optional.empty()),
            refusal("A 5 enforce: certificate for another name is certificate-host-mismatch",
                () -> Optional.of(ca.issue("mx9.elsewhere.test")), ResultType.CERTIFICATE_HOST_MISMATCH, Optional.empty()),
            refusal("A 5 enforce: multi-label wildcard certificate is certificate-host-mismatch",
                () -> Optional.of(ca.issue("*.test")), ResultType.CERTIFICATE_HOST_MISMATCH, Optional.empty()),
            refusal("A 5 enforce: unknown CA is certificate-not-trusted",
                () -> Optional.of(strangerCa.issue(MX)), ResultType.CERTIFICATE_NOT_TRUSTED, Optional.of("unknown-issuer")));
    }

    private static Arguments refusal(String name, Supplier<Optional<TestPki.ServerCertificate>> certificate,
                                     ResultType type, Optional<String> reasonCode) {
        return Arguments.of(name, certificate, type, reasonCode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enforceRefusals")
    void enforceShouldRefuseTheHostAsUnreachableAndRecord(String name,
                                                          Supplier<Optional<TestPki.ServerCertificate>> certificate,
                                                          ResultType type, Optional<String> reasonCode) throws Exception {
        TestSmtpServer.Builder builder = TestSmtpServer.builder().greetingName(MX);
        certificate.get().ifPresent(builder::startTls);
        try (TestSmtpServer server = builder.start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), Map.of());

            assertThatThrownBy(() -> deliver(testee, mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(recorder.results()).hasSize(1);
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(type);
            assertThat(details.failureReasonCode()).isEqualTo(reasonCode);
            assertThat(details.receivingMxHostname()).contains(MX);
            assertThat(details.receivingIp()).contains("127.0.0.1");
            assertThat(details.sendingMtaIp()).contains("127.0.0.1");
            assertThat(details.receivingMxHelo()).contains(MX);
            assertThat(recorder.results().get(0).policy()).isEqualTo(decision(Mode.ENFORCE).reportPolicy());
            assertThat(metricFactory.countFor("mtasts_delivery_refused_" + type.token().replace('-', '_'))).isEqualTo(1);
        }
    }

    static Stream<Arguments> refusalsBeforeTls() {
        return Stream.of(
            beforeTls("H3 greeting 421 is a temporary refusal of this MX",
                SmtpScript.normal().reply(SmtpScript.Step.GREETING, "421 4.3.2 busy"), "greeting-refused: 421 4.3.2 busy"),
            beforeTls("H3 greeting 554 is a temporary refusal of this MX, never a bounce",
                SmtpScript.normal().reply(SmtpScript.Step.GREETING, "554 5.3.2 no service"),
                "greeting-refused: 554 5.3.2 no service"),
            beforeTls("H3 connection dropped instead of a greeting",
                SmtpScript.normal().drop(SmtpScript.Step.GREETING), "no-reply-at-greeting"),
            beforeTls("H3 EHLO and HELO refused with 550",
                SmtpScript.normal().reply(SmtpScript.Step.EHLO, "550 5.7.1 not you"), "ehlo-refused: 550 5.7.1 not you"),
            beforeTls("H3 connection dropped at EHLO", SmtpScript.normal().drop(SmtpScript.Step.EHLO), "no-reply-at-ehlo"),
            beforeTls("H3 STARTTLS answered 454",
                SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, "454 4.7.0 TLS not available"),
                "starttls-refused: 454 4.7.0 TLS not available"),
            beforeTls("H3 STARTTLS answered 554",
                SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, "554 5.7.0 no TLS for you"),
                "starttls-refused: 554 5.7.0 no TLS for you"),
            beforeTls("H3 connection dropped at STARTTLS",
                SmtpScript.normal().drop(SmtpScript.Step.STARTTLS), "no-reply-at-starttls"),
            beforeTls("H4 a hostile STARTTLS reply is cleaned and bounded",
                SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, "454 \u0007\u0000" + "y".repeat(2000)),
                "starttls-refused: 454 ??" + "y".repeat(SessionProbe.MAX_REPLY_TEXT - 9) + "..."),
            beforeTls("H2 an endless greeting line is cut off: this MX is unreachable",
                SmtpScript.normal().endlessLine(SmtpScript.Step.GREETING), "reply-too-long-at-greeting"),
            beforeTls("H2 endless continuation lines to EHLO are cut off: this MX is unreachable",
                SmtpScript.normal().endlessContinuation(SmtpScript.Step.EHLO), "reply-too-long-at-ehlo"));
    }

    private static Arguments beforeTls(String name, SmtpScript script, String reasonCode) {
        return Arguments.of(name, script, reasonCode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusalsBeforeTls")
    void enforceShouldTreatAnyFailureBeforeTlsAsThisMxBeingUnreachable(String name, SmtpScript script,
                                                                      String reasonCode) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).script(script)
            .start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), Map.of());

            // James's MailDelivrer goes on to the next MX only for a nested IOException, and bounces a text
            // starting with "5": neither may happen for a refusal before TLS.
            assertThatThrownBy(() -> deliver(testee, mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class, e -> {
                    assertThat(e.getNextException()).isInstanceOf(IOException.class);
                    assertThat(e.getMessage()).doesNotStartWith("5").doesNotStartWith("4");
                });
            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(recorder.results()).hasSize(1);
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
            assertThat(details.failureReasonCode()).contains(reasonCode);
            assertThat(details.receivingMxHostname()).contains(MX);
            assertThat(metricFactory.countFor("mtasts_delivery_refused_starttls_not_supported")).isEqualTo(1);
        }
    }

    static Stream<Arguments> endlessRepliesAfterTls() {
        return Stream.of(
            Arguments.of("H2 enforce: an endless EHLO reply line after TLS",
                SmtpScript.normal().endlessLine(SmtpScript.Step.EHLO_AFTER_TLS), "MX reply line longer than 2048 bytes"),
            Arguments.of("H2 enforce: endless continuation lines to EHLO after TLS",
                SmtpScript.normal().endlessContinuation(SmtpScript.Step.EHLO_AFTER_TLS), "MX reply longer than 65536 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endlessRepliesAfterTls")
    void enforceShouldTreatAnMxWithAnEndlessReplyAfterTlsAsUnreachable(String name, SmtpScript script, String bound)
        throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).script(script)
            .start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), Map.of());

            assertThatThrownBy(() -> deliver(testee, mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class, e ->
                    assertThat(e.getNextException()).isInstanceOf(IOException.class))
                // The plaintext bound after TLS, not only the volume bound on the TLS records.
                .hasStackTraceContaining(bound);
            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            assertThat(recorder.results()).hasSize(1);
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(details.failureReasonCode()).contains("reply-too-long");
        }
    }

    @Test
    void testingShouldKeepTheStockMeaningOfARefusedStartTlsAndRecordIt() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).script(SmtpScript.normal()
            .reply(SmtpScript.Step.STARTTLS, "554 5.7.0 no TLS for you")).start()) {
            HostAttempt testee = testee(decision(Mode.TESTING), Map.of());

            // RFC 8461 5: testing delivers as without a policy, so James sees javax.mail's own 5xx, as stock.
            assertThatThrownBy(() -> deliver(testee, mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class, e -> {
                    assertThat(e.getMessage()).startsWith("554");
                    assertThat(e.getNextException()).isNull();
                });
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
            assertThat(details.failureReasonCode()).contains("starttls-refused: 554 5.7.0 no TLS for you");
        }
    }

    @Test
    void enforceShouldRefuseAServerOfferingOnlyTls11() throws Exception {
        // I 7: TLS 1.2 or higher. (The JVM disables TLS 1.1 too, so the handshake cannot succeed either way.)
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX))
            .startTlsProtocols("TLSv1.1").start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), Map.of());

            assertThatThrownBy(() -> deliver(testee, mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(details.failureReasonCode()).isPresent();
        }
    }

    @Test
    void enforceShouldNotConnectToAnMxOutsideThePolicy() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(ca.issue("mx.elsewhere.test")).start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), Map.of());

            assertThatThrownBy(() -> deliver(testee, mail(), server, "mx.elsewhere.test"))
                .isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
            assertThat(server.sessionCount()).isZero();
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(details.failureReasonCode()).contains("sts-mx-mismatch");
            assertThat(details.receivingMxHostname()).contains("mx.elsewhere.test");
        }
    }

    @Test
    void enforceShouldNotDeliverWhileThePolicyIsUnknown() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(ca.issue(MX)).start()) {
            PolicyDecision unknown = PolicyDecision.temporaryFailure(name(DOMAIN), "SERVFAIL");
            HostAttempt testee = testee(unknown, Map.of());

            // Without a gateway the loop defers such a mail before the MX walk; with one, each host gets this verdict.
            assertThatThrownBy(() -> deliver(testee, MailDecisions.of(Map.of(name(DOMAIN), unknown), Map.of()), mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
            assertThat(server.sessionCount()).isZero();
            assertThat(recorder.results()).isEmpty();
        }
    }

    @Test
    void testingShouldDeliverDespiteAnExpiredCertificateAndRecordIt() throws Exception {
        Instant now = Instant.now();
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX)
            .startTls(ca.issue(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), MX)).start()) {
            ExecutionResult result = deliver(testee(decision(Mode.TESTING), Map.of()), mail(), server, MX);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(recorder.results()).hasSize(1);
            assertThat(recorder.results().get(0).failure().orElseThrow().resultType())
                .isEqualTo(ResultType.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void testingShouldDeliverWithoutStartTlsAndRecordIt() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).start()) {
            ExecutionResult result = deliver(testee(decision(Mode.TESTING), Map.of()), mail(), server, MX);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isFalse();
            assertThat(recorder.results().get(0).failure().orElseThrow().resultType())
                .isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        }
    }

    @Test
    void noPolicyShouldDeliverAsStockInPlaintextWhenStartTlsIsOff() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).start()) {
            ExecutionResult result = deliver(testee(PolicyDecision.noPolicy(name(DOMAIN)), Map.of()), mail(), server, MX);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isFalse();
            assertThat(recorder.results()).isEmpty();
        }
    }

    static Stream<Arguments> endlessReplies() {
        return Stream.of(
            Arguments.of("H2 no policy, startTLS: an endless greeting line",
                SmtpScript.normal().endlessLine(SmtpScript.Step.GREETING), "reply-too-long-at-greeting"),
            Arguments.of("H2 no policy, startTLS: endless continuation lines to EHLO",
                SmtpScript.normal().endlessContinuation(SmtpScript.Step.EHLO), "reply-too-long-at-ehlo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endlessReplies")
    void noPolicyShouldTreatAnMxWithAnEndlessReplyAsUnreachable(String name, SmtpScript script, String reasonCode)
        throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).script(script).start()) {
            HostAttempt testee = testee(PolicyDecision.noPolicy(name(DOMAIN)),
                Map.of("startTLS", "true", "mail.smtp.ssl.trust", "*"));

            // Stock javax.mail would read the whole reply into memory, then deliver; the bound gives up long before.
            assertThatThrownBy(() -> deliver(testee, mail(), server, MX))
                .isInstanceOfSatisfying(MessagingException.class, e ->
                    assertThat(e.getNextException()).isInstanceOf(IOException.class));
            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            assertThat(recorder.results()).hasSize(1);
            FailureDetails details = recorder.results().get(0).failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
            assertThat(details.failureReasonCode()).contains(reasonCode);
        }
    }

    @Test
    void noPolicyShouldUseStartTlsAndRecordSuccessWhenTheMailetAsksForIt() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).start()) {
            HostAttempt testee = testee(PolicyDecision.noPolicy(name(DOMAIN)),
                Map.of("startTLS", "true", "mail.smtp.ssl.trust", "*"));

            ExecutionResult result = deliver(testee, mail(), server, MX);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(recorder.results()).containsExactly(SessionResult.success(PolicyDecision.noPolicy(name(DOMAIN)).reportPolicy()));
        }
    }

    private static final Attribute AUTHENTICATED = new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of("alice"));
    private static final Attribute RELAY_NETWORK = new Attribute(AttributeName.of("org.apache.james.SMTPIsAuthNetwork"),
        AttributeValue.of(true));
    private static final Attribute REPORT_MAIL = new Attribute(ReportMails.ATTRIBUTE, AttributeValue.of(true));

    static Stream<Arguments> tlsOptOuts() {
        return Stream.of(
            optOut("H7 TLS-Required: No from an unauthenticated outside sender is ignored: enforced", Map.of(),
                List.of(), true, false),
            optOut("H7 TLS-Required: No from an SMTP-authenticated sender is honoured", Map.of(),
                List.of(AUTHENTICATED), true, true),
            optOut("H7 TLS-Required: No from the relay networks is honoured", Map.of(), List.of(RELAY_NETWORK), true, true),
            optOut("H7 any: TLS-Required: No from outside is honoured", Map.of("mtasts.tlsRequiredHeader", "any"),
                List.of(), true, true),
            optOut("H7 never: TLS-Required: No from an authenticated sender is ignored",
                Map.of("mtasts.tlsRequiredHeader", "never"), List.of(AUTHENTICATED), true, false),
            optOut("H7 a renamed header is the one honoured", Map.of("mtasts.reportMailHeader", "X-Tls-Optional"),
                List.of(AUTHENTICATED), true, false),
            optOut("RFC 8460 5.3 our report mail (attribute, no header) goes out despite TLS failures", Map.of(),
                List.of(REPORT_MAIL), false, true),
            optOut("RFC 8460 5.3 our report mail goes out even when no header is honoured",
                Map.of("mtasts.tlsRequiredHeader", "never"), List.of(REPORT_MAIL), true, true));
    }

    private static Arguments optOut(String name, Map<String, String> parameters, List<Attribute> attributes,
                                    boolean header, boolean delivered) {
        return Arguments.of(name, parameters, attributes, header, delivered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tlsOptOuts")
    void tlsRequiredNoShouldBeHonouredOnlyForTrustedOriginsAndReportMails(String name, Map<String, String> parameters,
                                                                         List<Attribute> attributes, boolean header,
                                                                         boolean delivered) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(strangerCa.issue(MX)).start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE), parameters);
            Mail mail = header ? mail("TLS-Required", "No") : mail();
            attributes.forEach(mail::setAttribute);

            if (delivered) {
                assertThat(deliver(testee, mail, server, MX)).isEqualTo(ExecutionResult.success());
                assertThat(server.awaitMessages(1, WAIT)).hasSize(1);
                // Not recorded: a report about the delivery of a report could loop (RFC 8460 5.3).
                assertThat(recorder.results()).isEmpty();
            } else {
                assertThatThrownBy(() -> deliver(testee, mail, server, MX))
                    .isInstanceOfSatisfying(MessagingException.class,
                        e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
                server.awaitSessions(1, WAIT);
                assertThat(server.messages()).isEmpty();
                assertThat(recorder.results()).extracting(r -> r.failure().orElseThrow().resultType())
                    .containsExactly(ResultType.CERTIFICATE_NOT_TRUSTED);
            }
        }
    }

    @Test
    void disabledDomainShouldBeDeliveredAsStockWithoutRecording() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).start()) {
            HostAttempt testee = testee(decision(Mode.ENFORCE),
                Map.of("mtasts.domainOverrides", DOMAIN + ":disable"));

            ExecutionResult result = deliver(testee, mail(), server, MX);

            assertThat(result).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isFalse();
            assertThat(recorder.results()).isEmpty();
        }
    }
}
