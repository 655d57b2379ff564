package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRetriesHelper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * DANE through the whole delivery attempt as the mailet runs it ({@link DeliveryWiring}: decision step, James's MX
 * walk, retries and bounces), with SMTP servers on port 25 of 127.0.0.81 and .82 and a fixed DNSSEC answer.
 */
class DaneDeliveryLoopTest {

    private static final DomainName DOMAIN = name("daneloop.test");
    private static final DomainName NAME = DomainName.of(DOMAIN.asString()).orElseThrow();
    private static final String MX_A = "mx-a.daneloop.test";
    private static final String MX_B = "mx-b.daneloop.test";
    private static final String MX_A_IP = "127.0.0.81";
    private static final String MX_B_IP = "127.0.0.82";
    private static final PolicyDecision ENFORCE_A = PolicyDecision.policy(DOMAIN, "id1", StsPolicy.of(Mode.ENFORCE,
        Duration.ofDays(1), List.of(MxPattern.of(MX_A)), List.of("version: STSv1", "mode: enforce", "mx: " + MX_A,
            "max_age: 86400")));

    private static TestPki ca;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory(), clock);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("dane loop test CA");
    }

    private DeliveryWiring mailet(Path temp, FixedDaneLookup dane, Map<String, String> parameters)
        throws MessagingException {
        LoopbackDnsService dns = new LoopbackDnsService(Map.of(DOMAIN.asString(), List.of(MX_A, MX_B)),
            Map.of(MX_A, MX_A_IP, MX_B, MX_B_IP));
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("mtasts").mailetContext(context)
            .setProperty("heloName", "sender.test")
            .setProperty("maxRetries", "3")
            .setProperty("delayTime", "3 * 10 minutes")
            .setProperty("mtasts.trustStore", ca.writePkcs12TrustStore(temp.resolve("trust.p12"),
                "changeit".toCharArray()).toString())
            .setProperty("mtasts.trustStorePassword", "changeit");
        parameters.forEach(config::setProperty);
        return DeliveryWiring.of(config.build(), dns, null, queues, new DeliveryMetrics(metrics),
            new FixedPolicyResolver().with(ENFORCE_A), recorder, clock, DaneLookups.of(() -> Optional.of(dane)));
    }

    private static Mail mail() throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setSubject("DANE loop");
        message.setText("body\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipients("rcpt@" + DOMAIN)
            .mimeMessage(message).build();
    }

    @Test
    @DisplayName("DP 2.2.1 bogus MX RRset defers the mail unconnected, never bounced")
    void dpBogusMxRrsetShouldDeferTheMailWithoutConnectingNeverBounce(@TempDir Path temp) throws Exception {
        FixedDaneLookup dane = new FixedDaneLookup().with(DaneDomain.unusable(NAME, ResultType.DNSSEC_INVALID,
            "RRSIG of the MX RRset expired"));
        try (TestSmtpServer a = TestSmtpServer.builder().bindAddress(MX_A_IP).port(25).greetingName(MX_A)
                .startTls(ca.issue(MX_A)).start();
             TestSmtpServer b = TestSmtpServer.builder().bindAddress(MX_B_IP).port(25).greetingName(MX_B)
                .startTls(ca.issue(MX_B)).start()) {
            DeliveryWiring mailet = mailet(temp, dane, Map.of(MtaStsDeliverySettings.DANE, "true"));
            Mail mail = mail();

            mailet.loop.attempt(mail);
            mailet.loop.attempt(mail);

            assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(2);
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(a.sessionCount()).isZero();
            assertThat(b.sessionCount()).isZero();
            // Decided once per attempt: one lookup for both MX hosts.
            assertThat(dane.lookups()).isEqualTo(2);
            assertThat(recorder.results()).hasSize(4).allSatisfy(result -> {
                assertThat(result.policy().policyType()).isEqualTo(PolicyType.TLSA);
                assertThat(result.failure().orElseThrow().resultType()).isEqualTo(ResultType.DNSSEC_INVALID);
            });
            assertThat(recorder.results()).extracting(r -> r.policy().mxHosts()).containsExactly(
                List.of(MX_A), List.of(MX_B), List.of(MX_A), List.of(MX_B));
            assertThat(metrics.countFor(DeliveryMetrics.HEALED_RETRY)).isZero();
        }
    }

    @Test
    @DisplayName("DP 2.2 enforce naming mx-a, mx-b with TLSA in the secure MX RRset: James's MX walk delivers to mx-b")
    void dpDaneShouldTakePrecedenceOverAnEnforcePolicyThroughTheMxWalk(@TempDir Path temp) throws Exception {
        TestPki privateCa = TestPki.create("dane loop private CA");
        TestPki.ServerCertificate bCertificate = privateCa.issue(MX_B);
        TlsaRecord bRecord = TestTlsa.eeSpkiSha256(bCertificate.certificate());
        // mx-a: no TLSA, so MTA-STS enforce applies to it, and its certificate is from a CA nobody trusts.
        FixedDaneLookup dane = new FixedDaneLookup().with(DaneDomain.secure(NAME, List.of(
            MxDane.notApplicable(DomainName.of(MX_A).orElseThrow(), "TLSA RRset insecure"),
            MxDane.secureTlsa(DomainName.of(MX_B).orElseThrow(), DomainName.of(MX_B).orElseThrow(),
                List.of(bRecord)))));
        try (TestSmtpServer a = TestSmtpServer.builder().bindAddress(MX_A_IP).port(25).greetingName(MX_A)
                .startTls(privateCa.issue(MX_A)).start();
             TestSmtpServer b = TestSmtpServer.builder().bindAddress(MX_B_IP).port(25).greetingName(MX_B)
                .startTls(bCertificate).start()) {
            DeliveryWiring mailet = mailet(temp, dane, Map.of(MtaStsDeliverySettings.DANE, "true"));
            Mail mail = mail();

            mailet.loop.attempt(mail);

            assertThat(b.awaitMessages(1, Duration.ofSeconds(30)).get(0).receivedOverTls()).isTrue();
            assertThat(b.awaitSessions(1, Duration.ofSeconds(30)).get(0).serverNameIndication()).contains(MX_B);
            assertThat(a.messages()).isEmpty();
            assertThat(a.plaintextMailCommands()).isZero();
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(metrics.countFor(DeliveryMetrics.DELIVERED)).isEqualTo(1);
            assertThat(recorder.results()).extracting(r -> r.policy().policyType(),
                    r -> r.failure().map(f -> f.resultType()))
                .containsExactly(tuple(PolicyType.STS, Optional.of(ResultType.CERTIFICATE_NOT_TRUSTED)),
                    tuple(PolicyType.TLSA, Optional.empty()));
            assertThat(dane.lookups()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("DP 2.2 required domain without TLSA deferred, dane-required")
    void dpRequiredDomainWithoutTlsaShouldBeDeferredWithDaneRequired(@TempDir Path temp) throws Exception {
        FixedDaneLookup dane = new FixedDaneLookup();
        try (TestSmtpServer a = TestSmtpServer.builder().bindAddress(MX_A_IP).port(25).greetingName(MX_A)
                .startTls(ca.issue(MX_A)).start()) {
            DeliveryWiring mailet = mailet(temp, dane, Map.of(MtaStsDeliverySettings.DANE_OVERRIDES,
                DOMAIN + ":required"));
            Mail mail = mail();

            mailet.loop.attempt(mail);

            assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(a.sessionCount()).isZero();
            assertThat(recorder.results()).extracting(r -> r.failure().map(f -> f.resultType()))
                .containsOnly(Optional.of(ResultType.DANE_REQUIRED));
            assertThat(recorder.results()).noneMatch(SessionResult::isSuccess);
        }
    }
}
