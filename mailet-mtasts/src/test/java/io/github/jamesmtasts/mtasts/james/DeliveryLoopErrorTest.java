package io.github.jamesmtasts.mtasts.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * H1 at the delivery boundary: an {@code Error} while delivering one mail (Reactor rethrows JVM-fatal errors
 * instead of handing them to {@code onErrorContinue}) must neither stop the real delivery threads nor lose or
 * bounce that mail.
 */
class DeliveryLoopErrorTest {

    private static final String HOSTILE = "hostile-error.test";
    private static final String FINE = "fine-after-error.test";
    private static final String FINE_MX = "mx.fine-after-error.test";
    private static final String FINE_MX_IP = "127.0.0.73";
    private static final Duration WAIT = Duration.ofSeconds(60);

    // Fixed and far ahead: James 3.8.1's memory queue computes the due time with this clock but compares it with the
    // wall clock, so the hostile mail, re-queued with a delay, is never due again during the test.
    private final Clock clock = Clock.fixed(Instant.parse("2100-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory(), clock);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final FakeMailContext context = FakeMailContext.defaultContext();

    /** Throws StackOverflowError for the hostile domain, as a hostile input deep in a parser would. */
    private static final class ErrorThrowingResolver implements PolicyResolver {
        private final AtomicInteger errors = new AtomicInteger();

        @Override
        public PolicyDecision resolve(DomainName domain) {
            if (HOSTILE.equals(domain.asString())) {
                errors.incrementAndGet();
                throw new StackOverflowError("hostile input for " + domain);
            }
            return PolicyDecision.noPolicy(domain);
        }

        @Override
        public PolicyDecision recheck(DomainName domain) {
            return resolve(domain);
        }
    }

    @Test
    void anErrorDeliveringOneMailShouldNotStopDeliveryNorLoseTheMail() throws Exception {
        ErrorThrowingResolver resolver = new ErrorThrowingResolver();
        try (TestSmtpServer fine = TestSmtpServer.builder().bindAddress(FINE_MX_IP).port(25).greetingName(FINE_MX)
                .start()) {
            LoopbackDnsService dns = new LoopbackDnsService(Map.of(FINE, List.of(FINE_MX)), Map.of(FINE_MX, FINE_MX_IP));
            MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(dns, null, queues, metrics, resolver,
                new RecordingTlsRptRecorder(), clock);
            mailet.init(FakeMailetConfig.builder().mailetName("mtasts").mailetContext(context)
                .setProperty("heloName", "sender.test")
                // One delivery thread: a worker lost to the Error would stop all delivery.
                .setProperty("deliveryThreads", "1")
                .setProperty("delayTime", "1 * 1 h")
                .build());
            try {
                mailet.service(mail("a@" + HOSTILE, "b@" + FINE));

                assertThat(fine.awaitMessages(1, WAIT)).hasSize(1);
                assertThat(resolver.errors.get()).isEqualTo(1);
                assertThat(metrics.countFor(DeliveryMetrics.UNEXPECTED_ERROR)).isEqualTo(1);
                // Handed back to the queue with a delay (no hot retry), neither lost nor bounced.
                // (Browsed by name: the fine mail may still be finishing its own queue completion.)
                List<String> queued = new ArrayList<>();
                queues.getQueue(MailQueueName.of("outgoing")).orElseThrow().browse()
                    .forEachRemaining(view -> queued.add(view.getMail().getName()));
                assertThat(queued).contains("mail1-to-" + HOSTILE);
                assertThat(context.getBouncedMails()).isEmpty();
                assertThat(metrics.countFor(DeliveryMetrics.BOUNCED)).isZero();
            } finally {
                mailet.destroy();
            }
        }
    }

    private static FakeMail mail(String... recipients) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setSubject("error test");
        message.setText("body\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipients(recipients)
            .mimeMessage(message).build();
    }
}
