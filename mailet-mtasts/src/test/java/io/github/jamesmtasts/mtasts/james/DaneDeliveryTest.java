package io.github.jamesmtasts.mtasts.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.transport.mailets.remote.delivery.ExecutionResult;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.testing.ReceivedMessage;
import io.github.jamesmtasts.tlsrpt.testing.SmtpSessionRecord;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * DANE (RFC 7672) in the delivery path, one MX attempt at a time against real SMTP servers on 127.0.0.1, with a fixed
 * DNSSEC-validated answer per domain. The recipient domain's MTA-STS policy is {@code enforce} naming only mx-a, so
 * every delivery to another MX shows DANE's precedence (RFC 8461 2).
 */
class DaneDeliveryTest {

    private static final String DOMAIN = "dane.test";
    private static final DomainName NAME = DomainName.of(DOMAIN).orElseThrow();
    private static final String MX_A = "mx-a.dane.test";
    private static final String MX_B = "mx-b.dane.test";
    private static final String STRANGER = "mx.attacker.test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final PolicyDecision ENFORCE_A = PolicyDecision.policy(name(DOMAIN), "id1", StsPolicy.of(Mode.ENFORCE,
        Duration.ofDays(1), List.of(MxPattern.of(MX_A)), List.of("version: STSv1", "mode: enforce", "mx: " + MX_A,
            "max_age: 86400")));
    private static final Map<String, String> DANE_ON = Map.of(MtaStsDeliverySettings.DANE, "true");

    /** The CA MTA-STS trusts. */
    private static TestPki ca;
    /** A CA nobody trusts: DANE-EE(3) needs no PKIX chain (RFC 7672 3.1.1). */
    private static TestPki privateCa;

    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final RecordingMetricFactory metricFactory = new RecordingMetricFactory();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("dane delivery test CA");
        privateCa = TestPki.create("dane private CA");
    }

    private static DomainName name(String text) {
        return DomainName.of(text).orElseThrow();
    }

    private HostAttempt testee(FixedDaneLookup dane, Map<String, String> parameters) {
        return HostAttempt.wire(ENFORCE_A, parameters, ca, recorder, metricFactory, Optional.of(dane));
    }

    /** A secure MX RRset: mx-a without TLSA records, mx-b with {@code bRecords}. */
    private static FixedDaneLookup secure(TlsaRecord... bRecords) {
        return new FixedDaneLookup().with(DaneDomain.secure(NAME, List.of(
            MxDane.notApplicable(name(MX_A), "TLSA RRset insecure"),
            MxDane.secureTlsa(name(MX_B), name(MX_B), List.of(bRecords)))));
    }

    private static Mail mail() throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setRecipients(MimeMessage.RecipientType.TO, "rcpt@" + DOMAIN);
        message.setSubject("DANE delivery test");
        message.setText("Hello over DANE\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipient("rcpt@" + DOMAIN)
            .mimeMessage(message).build();
    }

    private static HostAddress hostAddress(TestSmtpServer server, String mx) {
        return new HostAddress(mx + ".", "smtp://" + server.address().getHostAddress() + ":" + server.port());
    }

    private static ReportPolicy tlsa(String mx, TlsaRecord... records) {
        return ReportPolicy.of(PolicyType.TLSA, DOMAIN, Stream.of(records).map(TlsaRecord::presentation)
            .collect(Collectors.toList()), List.of(mx));
    }

    private static void assertRefusedAsUnreachable(ThrowingDelivery delivery) {
        // An IOException as next exception: James's MX walk tries the next MX, the failure stays temporary.
        assertThatThrownBy(delivery::run).isInstanceOfSatisfying(MessagingException.class,
            e -> assertThat(e.getNextException()).isInstanceOf(IOException.class));
    }

    private interface ThrowingDelivery {
        void run() throws Exception;
    }

    @Test
    @DisplayName("DP 3.1 matched host gets the mail over TLS with SNI, despite enforce naming another MX; tlsa success")
    void dpMatchedHostShouldGetTheMailOverTlsDespiteAnEnforcePolicyNamingAnotherMx() throws Exception {
        TestPki.ServerCertificate certificate = privateCa.issue(MX_B);
        TlsaRecord record = TestTlsa.eeSpkiSha256(certificate.certificate());
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_B).startTls(certificate).start()) {
            HostAttempt testee = testee(secure(record), DANE_ON);
            Mail mail = mail();
            testee.gate.attemptStarts(mail);

            ExecutionResult result = testee.deliver(mail, hostAddress(server, MX_B), "rcpt@" + DOMAIN);

            assertThat(result).isEqualTo(ExecutionResult.success());
            List<ReceivedMessage> messages = server.awaitMessages(1, WAIT);
            assertThat(messages.get(0).tlsProtocol()).hasValueSatisfying(p -> assertThat(p).isIn("TLSv1.2", "TLSv1.3"));
            SmtpSessionRecord session = server.awaitSessions(1, WAIT).get(0);
            assertThat(session.serverNameIndication()).contains(MX_B);
            assertThat(session.plaintextMailCommands()).isZero();
            assertThat(recorder.results()).containsExactly(SessionResult.success(tlsa(MX_B, record)));
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_SESSIONS_PREFIX + "authenticated")).isEqualTo(1);
            assertThat(testee.gate.attemptEnds(mail)).isEmpty();
        }
    }

    @Test
    @DisplayName("DP 3.1 certificate matching no TLSA record: host refused, recorded under tlsa, no healing")
    void dpCertificateNotMatchingTheTlsaRecordsShouldRefuseTheHostAndRecordItUnderTlsa() throws Exception {
        TlsaRecord other = TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate());
        // A certificate MTA-STS would accept (trusted CA, right name): DANE decides, and it does not match.
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_B).startTls(ca.issue(MX_B)).start()) {
            HostAttempt testee = testee(secure(other), DANE_ON);
            Mail mail = mail();
            testee.gate.attemptStarts(mail);

            assertRefusedAsUnreachable(() -> testee.deliver(mail, hostAddress(server, MX_B), "rcpt@" + DOMAIN));

            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(recorder.results()).hasSize(1);
            SessionResult result = recorder.results().get(0);
            assertThat(result.policy()).isEqualTo(tlsa(MX_B, other));
            FailureDetails details = result.failure().orElseThrow();
            assertThat(details.resultType()).isEqualTo(ResultType.TLSA_INVALID);
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_REFUSED_PREFIX + "tlsa_invalid")).isEqualTo(1);
            assertThat(details.receivingMxHostname()).contains(MX_B);
            assertThat(details.receivingIp()).contains("127.0.0.1");
            // Stale-policy healing is for MTA-STS refusals only.
            assertThat(testee.gate.attemptEnds(mail)).isEmpty();
        }
    }

    @Test
    @DisplayName("DP 2.2.1 after a refused DANE host the next MX of the attempt is tried; one lookup")
    void dpTheNextMxOfTheSameAttemptShouldStillBeTried() throws Exception {
        TestPki.ServerCertificate good = privateCa.issue(MX_B);
        FixedDaneLookup dane = new FixedDaneLookup().with(DaneDomain.secure(NAME, List.of(
            MxDane.secureTlsa(name(MX_A), name(MX_A), List.of(TestTlsa.eeSpkiSha256(privateCa.issue(MX_A)
                .certificate()))),
            MxDane.secureTlsa(name(MX_B), name(MX_B), List.of(TestTlsa.eeSpkiSha256(good.certificate()))))));
        try (TestSmtpServer a = TestSmtpServer.builder().greetingName(MX_A).startTls(ca.issue(MX_A)).start();
             TestSmtpServer b = TestSmtpServer.builder().greetingName(MX_B).startTls(good).start()) {
            HostAttempt testee = testee(dane, DANE_ON);
            Mail mail = mail();
            MailDecisions decisions = testee.gate.decide(mail);

            assertRefusedAsUnreachable(() -> testee.deliver(decisions, mail, hostAddress(a, MX_A), "rcpt@" + DOMAIN));
            assertThat(testee.deliver(decisions, mail, hostAddress(b, MX_B), "rcpt@" + DOMAIN))
                .isEqualTo(ExecutionResult.success());

            assertThat(a.messages()).isEmpty();
            assertThat(b.awaitMessages(1, WAIT)).hasSize(1);
            assertThat(dane.lookups()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("DP 2.2.1 bogus MX RRset: host refused unconnected, dnssec-invalid")
    void dpBogusMxRrsetShouldRefuseEveryHostWithoutConnectingAndRecordDnssecInvalid() throws Exception {
        FixedDaneLookup dane = new FixedDaneLookup().with(DaneDomain.unusable(NAME, ResultType.DNSSEC_INVALID,
            "RRSIG expired"));
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_A).startTls(ca.issue(MX_A)).start()) {
            HostAttempt testee = testee(dane, DANE_ON);

            assertRefusedAsUnreachable(() -> testee.deliver(mail(), hostAddress(server, MX_A), "rcpt@" + DOMAIN));

            assertThat(server.sessionCount()).isZero();
            assertThat(recorder.results()).hasSize(1);
            assertThat(recorder.results().get(0).policy()).isEqualTo(tlsa(MX_A));
            assertThat(recorder.results().get(0).failure().orElseThrow().resultType()).isEqualTo(ResultType.DNSSEC_INVALID);
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_LOOKUP_FAILED)).isEqualTo(1);
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_REFUSED_PREFIX + "dnssec_invalid")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("DP 2.2.1 a lookup that throws refuses the hosts (never fail open)")
    void dpALookupThatThrowsShouldRefuseTheHostsNeverFailOpen() throws Exception {
        FixedDaneLookup dane = new FixedDaneLookup().throwing(new IllegalStateException("validator bug"));
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_A).startTls(ca.issue(MX_A)).start()) {
            HostAttempt testee = testee(dane, DANE_ON);

            assertRefusedAsUnreachable(() -> testee.deliver(mail(), hostAddress(server, MX_A), "rcpt@" + DOMAIN));

            assertThat(server.sessionCount()).isZero();
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_LOOKUP_FAILED)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("DP 2.2.1 host outside the secure MX RRset refused unconnected, nothing recorded")
    void dpHostOutsideTheSecureMxRrsetShouldBeRefusedWithoutConnecting() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(STRANGER).startTls(ca.issue(STRANGER))
                .start()) {
            HostAttempt testee = testee(secure(TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate())),
                DANE_ON);

            assertRefusedAsUnreachable(() -> testee.deliver(mail(), hostAddress(server, STRANGER), "rcpt@" + DOMAIN));

            assertThat(server.sessionCount()).isZero();
            assertThat(recorder.results()).isEmpty();
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_REFUSED_PREFIX + "not_in_secure_mx_set")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("DP 2.2 host without secure TLSA gets MTA-STS enforce")
    void dpHostWithoutTlsaShouldGetMtaStsEnforce() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_A).startTls(ca.issue(MX_A)).start()) {
            HostAttempt testee = testee(secure(TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate())),
                DANE_ON);

            assertThat(testee.deliver(mail(), hostAddress(server, MX_A), "rcpt@" + DOMAIN))
                .isEqualTo(ExecutionResult.success());

            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(recorder.results()).containsExactly(SessionResult.success(ENFORCE_A.reportPolicy()));
        }
    }

    @Test
    @DisplayName("DP 2.2 required: host without TLSA refused, dane-required")
    void dpRequiredShouldRefuseAHostWithoutTlsaAndRecordDaneRequired() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_A).startTls(ca.issue(MX_A)).start()) {
            HostAttempt testee = testee(secure(TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate())),
                Map.of(MtaStsDeliverySettings.DANE_OVERRIDES, DOMAIN + ":required"));

            assertRefusedAsUnreachable(() -> testee.deliver(mail(), hostAddress(server, MX_A), "rcpt@" + DOMAIN));

            assertThat(server.sessionCount()).isZero();
            assertThat(recorder.results()).hasSize(1);
            assertThat(recorder.results().get(0).policy()).isEqualTo(tlsa(MX_A));
            assertThat(recorder.results().get(0).failure().orElseThrow().resultType()).isEqualTo(ResultType.DANE_REQUIRED);
        }
    }

    @Test
    @DisplayName("DP 3.1 DANE-TA certificate for another name: certificate-host-mismatch under tlsa, no MTA-STS healing")
    void dpTrustAnchorNameMismatchShouldNotMakeTheMtaStsPolicyLookStale() throws Exception {
        // certificate-host-mismatch is a failure the stale-policy tally counts under MTA-STS; under DANE it must not.
        TlsaRecord anchorRecord = TestTlsa.taCertSha256(privateCa.caCertificate());
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_B).startTls(privateCa.issue("mx9.other.test"))
                .start()) {
            HostAttempt testee = testee(secure(anchorRecord), DANE_ON);
            Mail mail = mail();
            testee.gate.attemptStarts(mail);

            assertRefusedAsUnreachable(() -> testee.deliver(mail, hostAddress(server, MX_B), "rcpt@" + DOMAIN));

            assertThat(server.messages()).isEmpty();
            assertThat(recorder.results()).hasSize(1);
            assertThat(recorder.results().get(0).policy()).isEqualTo(tlsa(MX_B, anchorRecord));
            assertThat(recorder.results().get(0).failure().orElseThrow().resultType())
                .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
            assertThat(testee.gate.attemptEnds(mail)).isEmpty();
            assertThat(metricFactory.countFor(DeliveryMetrics.REFUSED_PREFIX + "certificate_host_mismatch")).isZero();
        }
    }

    @Test
    @DisplayName("DP 2.2 encrypt-only: TLS with any certificate")
    void dpEncryptOnlyShouldDeliverOverTlsWithAnyCertificate() throws Exception {
        TlsaRecord pkixEe = TlsaRecord.of(1, 1, 1, new byte[32]);
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_B).startTls(privateCa.issue("other.test"))
                .start()) {
            HostAttempt testee = testee(secure(pkixEe), DANE_ON);

            assertThat(testee.deliver(mail(), hostAddress(server, MX_B), "rcpt@" + DOMAIN))
                .isEqualTo(ExecutionResult.success());

            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(recorder.results()).containsExactly(SessionResult.success(tlsa(MX_B, pkixEe)));
            assertThat(metricFactory.countFor(DeliveryMetrics.DANE_SESSIONS_PREFIX + "encrypt_only")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("DP 2.2 DANE host without STARTTLS refused, never plaintext")
    void dpDaneHostWithoutStartTlsShouldBeRefusedNeverPlaintext() throws Exception {
        TlsaRecord record = TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate());
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX_B).start()) {
            HostAttempt testee = testee(secure(record), Map.of(MtaStsDeliverySettings.DANE, "true", "startTLS", "true"));

            assertRefusedAsUnreachable(() -> testee.deliver(mail(), hostAddress(server, MX_B), "rcpt@" + DOMAIN));

            server.awaitSessions(1, WAIT);
            assertThat(server.messages()).isEmpty();
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(recorder.results()).hasSize(1);
            assertThat(recorder.results().get(0).policy()).isEqualTo(tlsa(MX_B, record));
            assertThat(recorder.results().get(0).failure().orElseThrow().resultType())
                .isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
        }
    }

    @Test
    @DisplayName("DP 2.2.1 daneOverrides off: no lookup")
    void dpDaneOffShouldNeverAskTheLookup() throws Exception {
        FixedDaneLookup dane = secure(TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate()));
        HostAttempt testee = testee(dane, Map.of(MtaStsDeliverySettings.DANE, "true",
            MtaStsDeliverySettings.DANE_OVERRIDES, DOMAIN + ":off"));

        assertThat(testee.gate.decide(mail()).dane()).isEmpty();
        assertThat(dane.lookups()).isZero();
    }

    @Test
    @DisplayName("DP 2.2.1 gateway delivery: DANE not asked")
    void dpGatewayDeliveryShouldNotApplyDane() throws Exception {
        FixedDaneLookup dane = secure(TestTlsa.eeSpkiSha256(privateCa.issue(MX_B).certificate()));
        MtaStsDeliverySettings settings = MtaStsDeliverySettings.parse(name -> Optional.ofNullable(DANE_ON.get(name)));
        PolicyGate gate = new PolicyGate(new FixedPolicyResolver(), settings, List.of("smarthost.relay.test:25"),
            new DeliveryMetrics(metricFactory), new MxRefusalTally(), Optional.of(dane));

        assertThat(gate.decide(mail()).dane()).isEmpty();
        assertThat(dane.lookups()).isZero();
    }
}
