package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.mtasts.resolve.CollectingRecorder;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.FakeRecordLookup;
import io.github.jamesmtasts.mtasts.resolve.InMemoryPolicyStore;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * Issue 11, self-healing enforce policies, as a scenario on a controllable clock: the domain moved its MX and changed
 * its policy file but kept its TXT id. Its mail is deferred until the refetch, delivered after it, not refetched
 * before the hour, nor during the back-off of a failed fetch, and never bounced or delivered unauthenticated for it.
 */
class StalePolicyHealingDeliveryTest {

    private static final String D = "moved.test";
    private static final String NEW_MX = "mx2.moved.test";
    private static final String NEW_MX_IP = "127.0.0.74";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String OLD_POLICY = FakeFetcher.policyText("enforce", 604_800, "mx1.moved.test");
    private static final String NEW_POLICY = FakeFetcher.policyText("enforce", 604_800, NEW_MX);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestPki ca;

    private final SettableClock clock = new SettableClock(T0);
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory(), clock);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final FakeRecordLookup txt = new FakeRecordLookup().withId(D, "id1");
    private final FakeFetcher https = new FakeFetcher().serving(D, OLD_POLICY);
    private final DefaultPolicyResolver resolver = DefaultPolicyResolver.start(txt, https, new InMemoryPolicyStore(),
        new CollectingRecorder(), new MetricsResolverListener(metrics), ResolverSettings.defaults(), clock);

    @BeforeAll
    static void pki() {
        ca = TestPki.create("healing test CA");
    }

    /** The delivery objects the mailet would run, without its threads: tests make one attempt at a time. */
    private DeliveryWiring mailet(Path temp) throws MessagingException {
        LoopbackDnsService dns = new LoopbackDnsService(Map.of(D, List.of(NEW_MX)), Map.of(NEW_MX, NEW_MX_IP));
        return DeliveryWiring.of(FakeMailetConfig.builder().mailetName("mtasts").mailetContext(context)
            .setProperty("heloName", "sender.test")
            .setProperty("maxRetries", "10")
            .setProperty("delayTime", "10 * 10 minutes")
            .setProperty("mtasts.trustStore", ca.writePkcs12TrustStore(temp.resolve("trust.p12"),
                "changeit".toCharArray()).toString())
            .setProperty("mtasts.trustStorePassword", "changeit")
            .build(), dns, null, queues, new DeliveryMetrics(metrics), resolver, recorder, clock);
    }

    private static Mail mail() throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setSubject("moved MX");
        message.setText("body\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipients("rcpt@" + D)
            .mimeMessage(message).build();
    }

    /** The policy was cached at T0; then the domain moved its MX to mx2 and edited its policy file, same TXT id. */
    private void domainMovedWithoutNewId() {
        assertThat(resolver.resolve(name(D)).policy().get().matchesMx(DomainName.of(NEW_MX).orElseThrow())).isFalse();
        https.serving(D, NEW_POLICY);
    }

    private void assertDeferredNotBounced(Mail mail, int retries, TestSmtpServer server) {
        assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(retries);
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(server.messages()).isEmpty();
        assertThat(server.plaintextMailCommands()).isZero();
    }

    @Test
    void mailShouldBeDeferredBeforeTheHourAndDeliveredAfterTheRefetch(@TempDir Path temp) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(NEW_MX_IP).port(25).greetingName(NEW_MX)
                .startTls(ca.issue(NEW_MX)).start()) {
            domainMovedWithoutNewId();
            DeliveryWiring mailet = mailet(temp);
            Mail mail = mail();

            clock.advance(Duration.ofMinutes(10));
            mailet.loop.attempt(mail);
            assertDeferredNotBounced(mail, 1, server);
            clock.set(T0.plus(Duration.ofHours(1)).minusSeconds(1));
            mailet.loop.attempt(mail);
            assertDeferredNotBounced(mail, 2, server);
            assertThat(https.fetches(D)).isEqualTo(1);
            assertThat(recorder.results()).extracting(r -> r.failure().get().resultType())
                .containsOnly(ResultType.VALIDATION_FAILURE);

            clock.set(T0.plus(Duration.ofHours(1)));
            mailet.loop.attempt(mail);

            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(https.fetches(D)).isEqualTo(2);
            assertThat(metrics.countFor(DeliveryMetrics.HEALED_RETRY)).isEqualTo(1);
            assertThat(metrics.countFor(DeliveryMetrics.DELIVERED)).isEqualTo(1);
            assertThat(metrics.countFor(MetricsResolverListener.STALE_REFETCH_PREFIX + "changed")).isEqualTo(1);
            assertThat(resolver.healing(name(D)).get().changes()).isEqualTo(1);
            assertThat(context.getBouncedMails()).isEmpty();
        }
    }

    @Test
    void noRefetchDuringTheBackOffOfAFailedFetch(@TempDir Path temp) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(NEW_MX_IP).port(25).greetingName(NEW_MX)
                .startTls(ca.issue(NEW_MX)).start()) {
            domainMovedWithoutNewId();
            DeliveryWiring mailet = mailet(temp);
            Mail mail = mail();
            // A fetch of id1 fails at 58 minutes (here an operator's refetch): back-off until 63 minutes.
            clock.advance(Duration.ofMinutes(58));
            https.failing(D, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 503");
            resolver.refetch(name(D));
            https.serving(D, NEW_POLICY);

            clock.advance(Duration.ofMinutes(4));
            mailet.loop.attempt(mail);
            assertDeferredNotBounced(mail, 1, server);
            assertThat(https.fetches(D)).isEqualTo(2);

            clock.advance(Duration.ofMinutes(1));
            mailet.loop.attempt(mail);

            assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(https.fetches(D)).isEqualTo(3);
        }
    }

    @Test
    void aFailedRefetchShouldKeepTheEnforcePolicyAndDeferTheMail(@TempDir Path temp) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(NEW_MX_IP).port(25).greetingName(NEW_MX)
                .startTls(ca.issue(NEW_MX)).start()) {
            domainMovedWithoutNewId();
            https.failing(D, ResultType.STS_POLICY_FETCH_ERROR, "connection refused");
            DeliveryWiring mailet = mailet(temp);
            Mail mail = mail();
            clock.advance(Duration.ofHours(1));

            mailet.loop.attempt(mail);

            assertDeferredNotBounced(mail, 1, server);
            assertThat(https.fetches(D)).isEqualTo(2);
            assertThat(server.sessionCount()).isZero();
            assertThat(metrics.countFor(MetricsResolverListener.STALE_REFETCH_PREFIX + "failed")).isEqualTo(1);
            assertThat(resolver.resolve(name(D)).policy().get().matchesMx(DomainName.of(NEW_MX).orElseThrow())).isFalse();
        }
    }

    @Test
    void certificateFailuresUnderEnforceShouldAlsoRefetch(@TempDir Path temp) throws Exception {
        // The domain's certificate broke; it switched its policy to testing but kept the id.
        https.serving(D, FakeFetcher.policyText("enforce", 604_800, "*.moved.test"));
        try (TestSmtpServer server = TestSmtpServer.builder().bindAddress(NEW_MX_IP).port(25).greetingName(NEW_MX)
                .startTls(ca.issue("other.test")).start()) {
            resolver.resolve(name(D));
            https.serving(D, FakeFetcher.policyText("testing", 604_800, "*.moved.test"));
            DeliveryWiring mailet = mailet(temp);
            Mail mail = mail();
            clock.advance(Duration.ofHours(1));

            mailet.loop.attempt(mail);

            assertThat(server.awaitMessages(1, WAIT)).hasSize(1);
            assertThat(https.fetches(D)).isEqualTo(2);
            assertThat(recorder.results()).extracting(r -> r.failure().map(f -> f.resultType().token()).orElse("success"))
                .containsExactly("certificate-host-mismatch", "certificate-host-mismatch");
        }
    }

    @Test
    void anUnreachableMxShouldNotRefetch(@TempDir Path temp) throws Exception {
        // The policy matches the MX, which does not answer: a refetch could not help.
        https.serving(D, NEW_POLICY);
        resolver.resolve(name(D));
        DeliveryWiring mailet = mailet(temp);
        Mail mail = mail();
        clock.advance(Duration.ofHours(1));

        mailet.loop.attempt(mail);

        assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
        assertThat(https.fetches(D)).isEqualTo(1);
        assertThat(resolver.healing(name(D))).isEmpty();
    }
}
