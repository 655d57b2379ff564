package io.github.jamesmtasts.mtasts.james;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.deliver.MtaStsDeliverySettings;
import io.github.jamesmtasts.mtasts.deliver.SmtpConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestSmtpServer;

/**
 * Issue 10 item 5: a session's record is committed before the mail it belongs to goes on (transferred, handed to the
 * next MX, retried, bounced or dequeued), so that a crash at any moment cannot lose a session that happened. The
 * recorder here commits only when the test opens its gate.
 */
class SessionRecordCommitTest {

    private static final String DOMAIN = "enforce.test";
    private static final String MX = "mx1.enforce.test";
    private static final long MAX_WAIT_SECONDS = 30;

    private static TestPki ca;

    private final GatedRecorder recorder = new GatedRecorder();
    private final ExecutorService deliveryThread = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void pki() {
        ca = TestPki.create("record commit test CA");
    }

    @AfterEach
    void stop() {
        recorder.gate.countDown();
        deliveryThread.shutdownNow();
    }

    @Test
    void mailShouldBeTransferredOnlyOnceItsSessionIsCommitted() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX).startTls(ca.issue(MX)).start()) {
            Future<ExecutionResult> delivery = deliveryThread.submit(() -> deliver(server, MX));

            assertThat(recorder.waiting.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS))
                .as("the session's record was not committed through recordDurably (recorded %s without waiting)",
                    recorder.notWaitedFor).isTrue();
            assertThat(server.messages()).as("mail sent before its session was committed").isEmpty();
            assertThat(delivery).isNotDone();

            recorder.gate.countDown();

            assertThat(delivery.get(MAX_WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(ExecutionResult.success());
            assertThat(server.awaitMessages(1, Duration.ofSeconds(MAX_WAIT_SECONDS))).hasSize(1);
            assertThat(recorder.committed).containsExactly(SessionResult.success(decision().reportPolicy()));
            assertThat(recorder.notWaitedFor).isEmpty();
        }
    }

    @Test
    void refusedHostShouldBeLeftForTheNextMxOnlyOnceItsSessionIsCommitted() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().greetingName(MX)
            .startTls(ca.issue("mx9.elsewhere.test")).start()) {
            Future<ExecutionResult> delivery = deliveryThread.submit(() -> deliver(server, MX));

            assertThat(recorder.waiting.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS))
                .as("the failed session was not committed through recordDurably (recorded %s without waiting)",
                    recorder.notWaitedFor).isTrue();
            assertThat(delivery).isNotDone();

            recorder.gate.countDown();

            assertThat(failure(delivery)).isInstanceOf(MessagingException.class);
            assertThat(recorder.committed).singleElement().satisfies(result ->
                assertThat(result.failure().orElseThrow().resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
        }
    }

    private static Throwable failure(Future<ExecutionResult> delivery) throws Exception {
        try {
            delivery.get(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("delivery to a refused host succeeded");
    }

    private static PolicyDecision decision() {
        StsPolicy policy = StsPolicy.of(Mode.ENFORCE, Duration.ofDays(1), List.of(MxPattern.of("*." + DOMAIN)),
            List.of("version: STSv1", "mode: enforce", "mx: *." + DOMAIN, "max_age: 86400"));
        return PolicyDecision.policy(name(DOMAIN), "id1", policy);
    }

    private ExecutionResult deliver(TestSmtpServer server, String mx) throws MessagingException {
        HostAttempt testee = HostAttempt.wire(decision(), Map.of(), ca, recorder, new RecordingMetricFactory());
        HostAddress host = new HostAddress(mx + ".", "smtp://" + server.address().getHostAddress() + ":" + server.port());
        return testee.deliver(mail(), host, "rcpt@" + DOMAIN);
    }

    private static Mail mail() throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@sender.test");
        message.setRecipients(MimeMessage.RecipientType.TO, "rcpt@" + DOMAIN);
        message.setSubject("commit before transfer");
        message.setText("Hello\r\n");
        message.saveChanges();
        return FakeMail.builder().name("mail1").sender("sender@sender.test").recipient("rcpt@" + DOMAIN)
            .mimeMessage(message).build();
    }

    /** Commits a record only once the test opens the gate; remembers records made without waiting for a commit. */
    private static final class GatedRecorder implements TlsRptRecorder {
        private final CountDownLatch waiting = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private final List<SessionResult> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<SessionResult> notWaitedFor = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> record(SessionResult result) {
            notWaitedFor.add(result);
            return new CompletableFuture<>();
        }

        @Override
        public boolean recordDurably(SessionResult result) {
            waiting.countDown();
            try {
                if (!gate.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            committed.add(result);
            return true;
        }
    }
}
