package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/**
 * Issue 9 item 5: one slow destination does not delay the others. The slow collector here is a mailer that blocks
 * until the other destinations were sent, so the test needs no timing: sent one after the other, the slow one would
 * wait for sends that only start after it, and give up waiting after {@link #GENEROUS} (the test then fails).
 */
class DailyReportsConcurrencyTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final long GENEROUS = 20;
    private static final String SLOW = "slow@reports.first.test";

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:30:00Z"));
    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create();
    private final DestinationPool pool = DestinationPool.of(2, Duration.ofMinutes(2), "test-send");
    private Database database;
    private ResultStore store;

    @BeforeEach
    void openStore() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(policy("first.test")), 10L));
        store.add(DAY, Map.of(SessionResult.success(policy("second.test")), 20L));
        // The slow destination comes first, so that sending in record order would put the others behind it.
        dns.withRecords("_smtp._tls.first.test", "v=TLSRPTv1; rua=mailto:" + SLOW + ",mailto:fast@reports.first.test");
        dns.withRecords("_smtp._tls.second.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.second.test");
    }

    @AfterEach
    void close() {
        pool.close();
        database.close();
    }

    private static ReportPolicy policy(String domain) {
        return ReportPolicy.sts(domain, List.of("version: STSv1", "mode: enforce", "mx: mx." + domain, "max_age: 86400"),
            List.of("mx." + domain));
    }

    /** Blocks the slow recipient until the two others were submitted; records what each send saw of its claim. */
    private final class SlowCollectorMailer implements ReportMailer {
        final CountDownLatch othersSent = new CountDownLatch(2);
        final Map<String, Boolean> claimHeldDuringSend = new ConcurrentHashMap<>();
        volatile boolean othersSentWhileSlowBlocked;

        @Override
        public void submit(MimeMessage message) throws javax.mail.MessagingException {
            String recipient = ((InternetAddress) message.getAllRecipients()[0]).getAddress();
            String domain = message.getHeader("TLS-Report-Domain", null);
            if (recipient.equals(SLOW)) {
                try {
                    othersSentWhileSlowBlocked = othersSent.await(GENEROUS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // Another node must not get this destination while its send is under way.
            claimHeldDuringSend.put(recipient, store.claim(DAY, domain, "mailto:" + recipient, "node-b",
                DispatchSettings.DEFAULT_LEASE, clock.instant()).isEmpty());
            if (!recipient.equals(SLOW)) {
                othersSent.countDown();
            }
        }
    }

    private DailyReports reports(ReportMailer mailer) throws Exception {
        DispatchSettings settings = DispatchSettings.of(ReportFixtures.IDENTITY,
            new InternetAddress("tlsrpt-noreply@sender.test"), "node-a", DispatchSettings.DEFAULT_LEASE,
            RetrySchedule.rfc8460());
        HttpsReportSender https = new HttpsReportSender(Duration.ofSeconds(20), TrustAnchors.jvmDefault(),
            GuardedConnector.of(AddressGuard.allowing(List.of())));
        return new DailyReports(store, new TlsRptDiscovery(dns), mailer, https, settings, clock,
            LoopLiveness.of("test", clock, Duration.ofDays(1)), pool);
    }

    @Test
    void slowDestinationShouldNotDelayTheOthersOfItsDomainNorOfOtherDomains() throws Exception {
        SlowCollectorMailer mailer = new SlowCollectorMailer();

        List<DispatchResult> results = reports(mailer).sendDue(DAY);

        assertThat(mailer.othersSentWhileSlowBlocked).as("others sent while the slow collector was blocked").isTrue();
        assertThat(mailer.claimHeldDuringSend).containsOnlyKeys(SLOW, "fast@reports.first.test",
            "tlsrpt@reports.second.test").doesNotContainValue(false);
        assertThat(results).extracting(DispatchResult::kind).containsOnly(DispatchResult.Kind.SENT).hasSize(3);
        assertThat(store.sendStates(DAY).stream().map(s -> s.rua() + "=" + s.status()).collect(Collectors.toSet()))
            .isEqualTo(Set.of("mailto:" + SLOW + "=SENT", "mailto:fast@reports.first.test=SENT",
                "mailto:tlsrpt@reports.second.test=SENT"));
    }

    @Test
    void resendShouldNotWaitForASlowDestinationEither() throws Exception {
        SlowCollectorMailer mailer = new SlowCollectorMailer();
        DailyReports reports = reports(mailer);
        // The second domain's destination is resent by another operator request, the fast one by this one.
        Thread other = new Thread(() -> reports.resend(DAY, "second.test"));
        other.start();

        List<DispatchResult> results = reports.resend(DAY, "first.test");
        other.join(TimeUnit.SECONDS.toMillis(GENEROUS));

        assertThat(mailer.othersSentWhileSlowBlocked).as("others resent while the slow collector was blocked").isTrue();
        assertThat(results).extracting(DispatchResult::kind)
            .containsExactly(DispatchResult.Kind.SENT, DispatchResult.Kind.SENT);
    }
}
