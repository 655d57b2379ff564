package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueName;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.testing.SmtpScript;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * The mailet's own queue / retry / bounce decisions, driven one attempt at a time through the loop its
 * {@link DeliveryWiring} builds (no delivery threads), and the mailet itself with its threads.
 */
class MtaStsRemoteDeliveryTest {

    private static final String GATEWAY = "smarthost.gateway.test";
    private static final String WALK = "mx-walk.test";
    private static final String WALK_MX1 = "mx1.mx-walk.test";
    private static final String WALK_MX2 = "mx2.mx-walk.test";
    private static final String WALK_MX1_IP = "127.0.0.71";
    private static final String WALK_MX2_IP = "127.0.0.72";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestPki ca;

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory(), clock);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final RecordingTlsRptRecorder recorder = new RecordingTlsRptRecorder();
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("mailet test CA");
    }

    private static PolicyDecision decision(String domain, String id, Mode mode) {
        StsPolicy policy = StsPolicy.of(mode, Duration.ofDays(1), List.of(MxPattern.of(domain)),
            List.of("version: STSv1", "mode: " + mode.token(), "mx: " + domain, "max_age: 86400"));
        return PolicyDecision.policy(name(domain), id, policy);
    }

    private static final LoopbackDnsService GATEWAY_DNS = new LoopbackDnsService(Map.of(), Map.of(GATEWAY, "127.0.0.1"));

    private FakeMailetConfig config(Map<String, String> parameters) {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("mtasts").mailetContext(context)
            .setProperty("heloName", "sender.test");
        parameters.forEach(config::setProperty);
        return config.build();
    }

    /** The delivery objects the mailet would run, without its threads: tests make one attempt at a time. */
    private DeliveryWiring wiring(FixedPolicyResolver resolver, Map<String, String> parameters) throws MessagingException {
        return DeliveryWiring.of(config(parameters), GATEWAY_DNS, null, queues, new DeliveryMetrics(metrics), resolver,
            recorder, clock);
    }

    private static void attempt(DeliveryWiring wiring, Mail mail) throws Exception {
        wiring.loop.attempt(mail);
    }

    private static FakeMail.Builder mail(String... recipients) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setSubject("retry test");
        message.setText("body\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipients(recipients).mimeMessage(message);
    }

    private long queueSize() {
        return queues.getQueue(MailQueueName.of("outgoing")).orElseThrow().getSize();
    }

    @Test
    void initShouldFailNamingTheParameterWhenAValueIsInvalid() {
        MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(GATEWAY_DNS, null, queues, metrics,
            new FixedPolicyResolver(), recorder, clock);

        assertThatThrownBy(() -> mailet.init(config(Map.of("mtasts.domainOverrides", "example.com:strict"))))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("mtasts.domainOverrides")
            .hasMessageContaining("disable, testing, enforce");
    }

    @Test
    void serviceShouldQueueOneMailPerRecipientDomain() throws Exception {
        // Both domains' policies are unknown: the delivery thread defers each queued mail (no network), keeping it.
        MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(GATEWAY_DNS, null, queues, metrics,
            new FixedPolicyResolver().with(PolicyDecision.temporaryFailure(name("one.test"), "TXT lookup SERVFAIL"))
                .with(PolicyDecision.temporaryFailure(name("two.test"), "TXT lookup SERVFAIL")), recorder, clock);
        mailet.init(config(Map.of("deliveryThreads", "1", "delayTime", "1 * 1 h")));
        Mail mail = mail("a@one.test", "b@two.test", "c@one.test").build();
        try {
            mailet.service(mail);

            assertThat(mail.getState()).isEqualTo(Mail.GHOST);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (metrics.countFor(DeliveryMetrics.POLICY_TEMPORARY_FAILURE) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(metrics.countFor(DeliveryMetrics.POLICY_TEMPORARY_FAILURE)).isEqualTo(2);
            List<String> queued = new ArrayList<>();
            queues.getQueue(MailQueueName.of("outgoing")).orElseThrow().browse()
                .forEachRemaining(view -> queued.add(view.getMail().getName()));
            assertThat(queued).containsExactlyInAnyOrder("mail1-to-one.test", "mail1-to-two.test");
        } finally {
            mailet.destroy();
        }
    }

    @Test
    void unknownPolicyShouldDeferTheMailWithoutBouncing() throws Exception {
        DeliveryWiring mailet = wiring(new FixedPolicyResolver()
            .with(PolicyDecision.temporaryFailure(name("enforce.test"), "TXT lookup SERVFAIL")), Map.of());
        Mail mail = mail("rcpt@enforce.test").build();

        attempt(mailet, mail);

        assertThat(mail.getState()).isEqualTo(Mail.ERROR);
        assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
        assertThat(queueSize()).isEqualTo(1);
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(metrics.countFor(DeliveryMetrics.POLICY_TEMPORARY_FAILURE)).isEqualTo(1);
    }

    @Test
    void tlsRequiredNoFromOutsideShouldNotSkipTheDeferralOfAnUnknownPolicy() throws Exception {
        DeliveryWiring mailet = wiring(new FixedPolicyResolver()
            .with(PolicyDecision.temporaryFailure(name("enforce.test"), "TXT lookup SERVFAIL")), Map.of());
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@outside.test");
        message.setHeader("TLS-Required", "No");
        message.setText("forwarded\r\n");
        message.saveChanges();
        // H7: arrived from outside (no SMTP AUTH, not a relay network) and forwarded by James.
        Mail mail = FakeMail.builder().name("forwarded").sender("sender@outside.test").recipient("rcpt@enforce.test")
            .mimeMessage(message).build();

        attempt(mailet, mail);

        assertThat(metrics.countFor(DeliveryMetrics.POLICY_TEMPORARY_FAILURE)).isEqualTo(1);
        assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesShouldRecheckThePolicyAndDeliverUnderTheNewOne() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(GATEWAY).start()) {
            // enforce refuses this STARTTLS-less host; the re-check (RFC 8461 5.1) finds a testing policy.
            FixedPolicyResolver resolver = new FixedPolicyResolver()
                .with(decision(GATEWAY, "id1", Mode.ENFORCE))
                .afterRecheck(decision(GATEWAY, "id2", Mode.TESTING));
            DeliveryWiring mailet = wiring(resolver,
                Map.of("gateway", GATEWAY + ":" + server.port(), "maxRetries", "1", "delayTime", "1 * 1 s"));
            Mail mail = mail("rcpt@far.test").state(Mail.ERROR)
                .attribute(DeliveryRetriesHelper.makeAttribute(1)).build();

            attempt(mailet, mail);

            assertThat(resolver.rechecks()).isEqualTo(1);
            assertThat(server.awaitMessages(1, WAIT)).hasSize(1);
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(metrics.countFor(DeliveryMetrics.RECHECK_CHANGED)).isEqualTo(1);
        }
    }

    @Test
    void exhaustedRetriesShouldBounceWhenThePolicyDidNotChange() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(GATEWAY).start()) {
            FixedPolicyResolver resolver = new FixedPolicyResolver().with(decision(GATEWAY, "id1", Mode.ENFORCE));
            DeliveryWiring mailet = wiring(resolver,
                Map.of("gateway", GATEWAY + ":" + server.port(), "maxRetries", "1", "delayTime", "1 * 1 s"));
            Mail mail = mail("rcpt@far.test").state(Mail.ERROR)
                .attribute(DeliveryRetriesHelper.makeAttribute(1)).build();

            attempt(mailet, mail);

            assertThat(resolver.rechecks()).isEqualTo(1);
            assertThat(server.messages()).isEmpty();
            assertThat(server.plaintextMailCommands()).isZero();
            assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isEqualTo(1);
        }
    }

    @Test
    void enforceTlsFailureShouldBeRetriedNotBounced(@TempDir Path temp) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(GATEWAY).startTls(ca.issue("other.test")).start()) {
            DeliveryWiring mailet = wiring(new FixedPolicyResolver().with(decision(GATEWAY, "id1", Mode.ENFORCE)),
                Map.of("gateway", GATEWAY + ":" + server.port(), "maxRetries", "3", "delayTime", "3 * 1 s",
                    "mtasts.trustStore", ca.writePkcs12TrustStore(temp.resolve("trust.p12"),
                        "changeit".toCharArray()).toString(),
                    "mtasts.trustStorePassword", "changeit"));
            Mail mail = mail("rcpt@far.test").build();

            attempt(mailet, mail);

            assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
            assertThat(queueSize()).isEqualTo(1);
            assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isZero();
            assertThat(server.messages()).isEmpty();
            assertThat(recorder.results()).hasSize(1);
        }
    }

    static Stream<Arguments> startTlsRefusals() {
        return Stream.of(
            Arguments.of("H3 454 to STARTTLS: next MX", "454 4.7.0 TLS not available"),
            Arguments.of("H3 554 to STARTTLS: next MX, never a bounce", "554 5.7.0 no TLS for you"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startTlsRefusals")
    void enforceShouldGoOnToTheNextMxWhenStartTlsIsRefused(String name, String reply, @TempDir Path temp)
        throws Exception {
        // James walks MX hosts on port 25 in the order of the MX answer: two loopback addresses (root, like CI).
        try (TestSmtpServer refusing = TestSmtpServer.builder().bindAddress(WALK_MX1_IP).port(25).greetingName(WALK_MX1)
                .script(SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, reply)).start();
             TestSmtpServer good = TestSmtpServer.builder().bindAddress(WALK_MX2_IP).port(25).greetingName(WALK_MX2)
                .startTls(ca.issue(WALK_MX2)).start()) {
            StsPolicy policy = StsPolicy.of(Mode.ENFORCE, Duration.ofDays(1), List.of(MxPattern.of("*." + WALK)),
                List.of("version: STSv1", "mode: enforce", "mx: *." + WALK, "max_age: 86400"));
            LoopbackDnsService dns = new LoopbackDnsService(Map.of(WALK, List.of(WALK_MX1, WALK_MX2)),
                Map.of(WALK_MX1, WALK_MX1_IP, WALK_MX2, WALK_MX2_IP));
            FixedPolicyResolver resolver = new FixedPolicyResolver().with(PolicyDecision.policy(name(WALK), "w1", policy));
            DeliveryWiring mailet = DeliveryWiring.of(config(Map.of("mtasts.trustStore", trustStore(temp),
                    "mtasts.trustStorePassword", "changeit")), dns, null, queues, new DeliveryMetrics(metrics),
                resolver, recorder, clock);
            Mail mail = mail("rcpt@" + WALK).build();

            attempt(mailet, mail);

            assertThat(good.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            assertThat(refusing.awaitSessions(1, WAIT)).hasSize(1);
            assertThat(refusing.messages()).isEmpty();
            assertThat(refusing.plaintextMailCommands()).isZero();
            assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isZero();
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(recorder.results()).extracting(r -> r.failure().map(f -> f.resultType().token()).orElse("success"))
                .containsExactly("starttls-not-supported", "success");
            // Decided once per delivery attempt and handed to both MX attempts: one lookup, not one per MX.
            assertThat(resolver.resolutions()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startTlsRefusals")
    void enforceShouldRetryNotBounceWhenTheOnlyMxRefusesStartTls(String name, String reply, @TempDir Path temp)
        throws Exception {
        try (TestSmtpServer refusing = TestSmtpServer.builder().greetingName(GATEWAY)
                .script(SmtpScript.normal().reply(SmtpScript.Step.STARTTLS, reply)).start()) {
            DeliveryWiring mailet = wiring(new FixedPolicyResolver().with(decision(GATEWAY, "id1", Mode.ENFORCE)),
                Map.of("gateway", GATEWAY + ":" + refusing.port(), "maxRetries", "3", "delayTime", "3 * 1 s",
                    "mtasts.trustStore", trustStore(temp), "mtasts.trustStorePassword", "changeit"));
            Mail mail = mail("rcpt@far.test").build();

            attempt(mailet, mail);

            assertThat(DeliveryRetriesHelper.retrieveRetries(mail)).isEqualTo(1);
            assertThat(queueSize()).isEqualTo(1);
            assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isZero();
            assertThat(context.getBouncedMails()).isEmpty();
            assertThat(refusing.messages()).isEmpty();
        }
    }

    private static String trustStore(Path temp) {
        return ca.writePkcs12TrustStore(temp.resolve("trust.p12"), "changeit".toCharArray()).toString();
    }

    @Test
    void deliveryThreadsShouldSendWhatServiceQueued() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(GATEWAY).startTls(ca.issue(GATEWAY)).start()) {
            LoopbackDnsService dns = new LoopbackDnsService(Map.of(), Map.of(GATEWAY, "127.0.0.1"));
            MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(dns, null, queues, metrics,
                new FixedPolicyResolver().with(decision(GATEWAY, "id1", Mode.TESTING)), recorder, clock);
            mailet.init(FakeMailetConfig.builder().mailetName("mtasts").mailetContext(context)
                .setProperty("heloName", "sender.test")
                .setProperty("gateway", GATEWAY + ":" + server.port())
                .setProperty("deliveryThreads", "2")
                .build());
            try {
                mailet.service(mail("rcpt@far.test").build());

                assertThat(server.awaitMessages(1, WAIT).get(0).receivedOverTls()).isTrue();
            } finally {
                mailet.destroy();
            }
        }
    }

    @Test
    void permanentErrorUnderEnforceShouldRecheckThePolicyBeforeBouncing(@TempDir Path temp) throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(GATEWAY).startTls(ca.issue(GATEWAY))
            .rejectEveryRecipient().start()) {
            FixedPolicyResolver resolver = new FixedPolicyResolver().with(decision(GATEWAY, "id1", Mode.ENFORCE))
                .afterRecheck(decision(GATEWAY, "id2", Mode.ENFORCE));
            DeliveryWiring mailet = wiring(resolver, Map.of("gateway", GATEWAY + ":" + server.port(),
                "mtasts.trustStore", ca.writePkcs12TrustStore(temp.resolve("trust.p12"), "pw".toCharArray()).toString(),
                "mtasts.trustStorePassword", "pw"));
            Mail mail = mail("rcpt@far.test").build();

            attempt(mailet, mail);

            assertThat(resolver.rechecks()).isEqualTo(1);
            assertThat(server.awaitSessions(2, WAIT)).hasSize(2);
            assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isEqualTo(1);
            assertThat(queueSize()).isZero();
        }
    }

    static Stream<Arguments> verifyServerIdentityNotices() {
        return Stream.of(
            Arguments.of("verifyServerIdentity set, opportunistic TLS on: say it does not apply without a policy",
                Map.of("verifyServerIdentity", "true"), 1),
            Arguments.of("verifyServerIdentity not set: nothing to say", Map.of(), 0),
            Arguments.of("opportunistic TLS off: the stock check applies, nothing to say",
                Map.of("verifyServerIdentity", "true", "mtasts.opportunisticTls", "false"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verifyServerIdentityNotices")
    void initShouldSayOnceThatVerifyServerIdentityDoesNotApplyToDomainsWithoutAPolicy(String name,
                                                                                      Map<String, String> parameters,
                                                                                      int notices) throws Exception {
        MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(GATEWAY_DNS, null, queues, metrics,
            new FixedPolicyResolver(), recorder, clock);
        Logger logger = (Logger) LoggerFactory.getLogger(MtaStsRemoteDelivery.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            mailet.init(config(parameters));
        } finally {
            logger.detachAppender(log);
            mailet.destroy();
        }

        assertThat(log.list).filteredOn(event -> event.getFormattedMessage().contains("verifyServerIdentity"))
            .hasSize(notices).allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).contains("without an MTA-STS policy", "opportunistic TLS",
                    "mtasts.opportunisticTls=false");
            });
    }
}
