package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRetriesHelper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.FakeRecordLookup;
import io.github.jamesmtasts.mtasts.resolve.InMemoryPolicyStore;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * Design rule H6 through the mailet's own retry loop: a policy host that never answers (a fetch held by a latch)
 * makes the delivery thread defer that mail after {@code policyWait}, without counting a retry, while the fetch goes
 * on; the next attempt applies the fetched enforce policy. The policy domain is the gateway's, so the MX is a local
 * {@link TestSmtpServer} with STARTTLS.
 */
class SlowPolicyHostDeliveryTest {

    private static final String GATEWAY = "smarthost.gateway.test";
    private static final Duration SHORT_WAIT = Duration.ofMillis(50);
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final Duration DEFERRAL = Duration.ofSeconds(5);

    private static TestPki ca;

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory(), clock);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final FakeRecordLookup dns = new FakeRecordLookup().withId(GATEWAY, "g1");
    private final FakeFetcher https = new FakeFetcher().serving(GATEWAY, FakeFetcher.policyText("enforce", 86_400, GATEWAY));
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(10));

    @BeforeAll
    static void pki() {
        ca = TestPki.create("slow policy host test CA");
    }

    @AfterEach
    void release() {
        https.open();
        pool.shutdownNow();
    }

    private DefaultPolicyResolver resolver(Duration wait) {
        return DefaultPolicyResolver.start(dns, https, new InMemoryPolicyStore(), recorder, ResolverListener.NOOP,
            ResolverSettings.defaults().withPolicyWait(wait).withPolicyDeferral(DEFERRAL), clock, pool);
    }

    /** The delivery objects the mailet would run, without its threads: tests make one attempt at a time. */
    private DeliveryWiring mailet(DefaultPolicyResolver resolver, TestSmtpServer server, Path temp)
        throws MessagingException {
        LoopbackDnsService names = new LoopbackDnsService(Map.of(), Map.of(GATEWAY, "127.0.0.1"));
        return DeliveryWiring.of(FakeMailetConfig.builder().mailetName("mtasts").mailetContext(context)
            .setProperty("heloName", "sender.test")
            .setProperty("gateway", GATEWAY + ":" + server.port())
            .setProperty("maxRetries", "3")
            .setProperty("delayTime", "3 * 1 s")
            .setProperty("mtasts.trustStore", ca.writePkcs12TrustStore(temp.resolve("trust.p12"),
                "pw".toCharArray()).toString())
            .setProperty("mtasts.trustStorePassword", "pw")
            .build(), names, null, queues, new DeliveryMetrics(metrics), resolver, recorder, clock);
    }

    private TestSmtpServer server() {
        return TestSmtpServer.builder().greetingName(GATEWAY).startTls(ca.issue(GATEWAY)).start();
    }

    private TestSmtpServer rejectingServer() {
        return TestSmtpServer.builder().greetingName(GATEWAY).startTls(ca.issue(GATEWAY)).rejectEveryRecipient().start();
    }

    private static Mail mail() throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setSubject("slow policy host");
        message.setText("body\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipients("rcpt@far.test")
            .mimeMessage(message).build();
    }

    private long queueSize() {
        return queues.getQueue(MailQueueName.of("outgoing")).orElseThrow().getSize();
    }

    @Test
    void slowPolicyHostShouldDeferTheMailWithoutARetryThenDeliverUnderTheFetchedPolicy(@TempDir Path temp)
        throws Exception {
        https.closed();
        DefaultPolicyResolver resolver = resolver(SHORT_WAIT);
        try (TestSmtpServer server = server()) {
            DeliveryWiring mailet = mailet(resolver, server, temp);
            Mail mail = mail();

            mailet.loop.attempt(mail);

            // The delivery thread is back; the fetch is still held at the gate.
            assertThat(https.awaitEntered(30)).isTrue();
            assertThat(resolver.cached(name(GATEWAY))).isEmpty();
            assertThat(queueSize()).isEqualTo(1);
            assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isZero();
            assertThat(mail.getAttribute(DeliveryLoop.POLICY_DEFERRALS).map(Attribute::getValue))
                .contains(AttributeValue.of(1));
            assertThat(metrics.countFor(DeliveryMetrics.POLICY_PENDING)).isEqualTo(1);
            assertThat(metrics.countFor(DeliveryMetrics.POLICY_TEMPORARY_FAILURE)).isZero();
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(server.sessionCount()).isZero();

            https.open();
            resolver.resolve(name(GATEWAY)); // joins the running discovery
            mailet.loop.attempt(mail);

            assertThat(server.awaitMessages(1, LONG_WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(https.fetches(GATEWAY)).isEqualTo(1);
        }
    }

    @Test
    void firstMailToADomainWhosePolicyHostAnswersPromptlyShouldBeDeliveredUnderItsPolicyOnTheFirstAttempt(
        @TempDir Path temp) throws Exception {
        try (TestSmtpServer server = server()) {
            DeliveryWiring mailet = mailet(resolver(LONG_WAIT), server, temp);

            mailet.loop.attempt(mail());

            assertThat(server.awaitMessages(1, LONG_WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(metrics.countFor(DeliveryMetrics.POLICY_PENDING)).isZero();
            assertThat(metrics.countFor(DeliveryMetrics.DELIVERED)).isEqualTo(1);
        }
    }

    @Test
    void mailDeferredTheMaximumNumberOfTimesShouldCountAFurtherDeferralAsARetry(@TempDir Path temp) throws Exception {
        https.closed();
        try (TestSmtpServer server = server()) {
            DeliveryWiring mailet = mailet(resolver(SHORT_WAIT), server, temp);
            Mail mail = mail();
            mail.setAttribute(new Attribute(DeliveryLoop.POLICY_DEFERRALS,
                AttributeValue.of(DeliveryLoop.MAX_POLICY_DEFERRALS)));

            mailet.loop.attempt(mail);

            // Bounded: no uncounted deferral any more, an ordinary retry instead; still never "no policy".
            assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
            assertThat(queueSize()).isEqualTo(1);
            assertThat(metrics.countFor(DeliveryMetrics.POLICY_PENDING)).isZero();
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(server.sessionCount()).isZero();
        }
    }

    @Test
    void permanentErrorWhoseRecheckIsStillFetchingShouldDeferTheMailInsteadOfBouncing(@TempDir Path temp)
        throws Exception {
        DefaultPolicyResolver resolver = resolver(SHORT_WAIT);
        assertThat(resolver.resolve(name(GATEWAY)).policyId()).contains("g1");
        // RFC 8461 5.1: the 5xx under enforce triggers a re-check; the new id's policy host hangs.
        dns.withId(GATEWAY, "g2");
        https.closed();
        try (TestSmtpServer server = rejectingServer()) {
            DeliveryWiring mailet = mailet(resolver, server, temp);
            Mail mail = mail();

            mailet.loop.attempt(mail);

            assertThat(server.awaitSessions(1, LONG_WAIT)).hasSize(1);
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isZero();
            assertThat(queueSize()).isEqualTo(1);
            assertThat(metrics.countFor(DeliveryMetrics.POLICY_PENDING)).isEqualTo(1);
            assertThat(https.fetches(GATEWAY)).isEqualTo(2);
        }
    }
}
