package io.github.jamesmtasts.tlsrpt.send;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.InternetAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
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

class ReportSchedulerTest {

    // One send thread: destinations go in submission order, as in production with sendThreads = 1.
    private final DestinationPool pool = DestinationPool.of(1, Duration.ofMinutes(2), "test-send");

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Instant MIDNIGHT = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(MIDNIGHT);
    private final RecordingMailer mailer = new RecordingMailer();
    private Database database;
    private ReportScheduler scheduler;
    private ResultStore store;
    private DailyReports reports;

    @BeforeEach
    void setUp() throws Exception {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(ReportPolicy.noPolicyFound("a.test")), 3L,
            SessionResult.success(ReportPolicy.noPolicyFound("b.test")), 4L));
        InMemoryTxtResolver dns = InMemoryTxtResolver.create()
            .withRecords("_smtp._tls.a.test", "v=TLSRPTv1; rua=mailto:tlsrpt@a.test")
            .withRecords("_smtp._tls.b.test", "v=TLSRPTv1; rua=mailto:tlsrpt@b.test");
        reports = new DailyReports(store, new TlsRptDiscovery(dns), mailer,
            new HttpsReportSender(Duration.ofSeconds(5), TrustAnchors.jvmDefault(), GuardedConnector.of(AddressGuard.allowing(List.of()))),
            DispatchSettings.of(ReportFixtures.IDENTITY, new InternetAddress("tlsrpt@sender.test"), "node-a",
                DispatchSettings.DEFAULT_LEASE, RetrySchedule.rfc8460()), clock,
            LoopLiveness.of("tlsrpt-reports", clock, Duration.ofDays(1)), pool);
        scheduler = new ReportScheduler(reports, clock, 42L, ReportScheduler.DEFAULT_WINDOW);
    }

    @AfterEach
    void close() {
        pool.close();
        database.close();
    }

    @Test
    void tickShouldDeleteDaysOlderThanTheRetentionAndKeepNewerOnes() {
        LocalDate old = DAY.minusDays(ReportScheduler.RETENTION_DAYS);
        store.add(old, Map.of(SessionResult.success(ReportPolicy.noPolicyFound("old.test")), 1L));

        scheduler.tick();

        assertThat(store.policyDomains(old)).isEmpty();
        assertThat(store.policyDomains(DAY)).containsExactlyInAnyOrder("a.test", "b.test");
    }

    @Test
    void sendTimesShouldFallInTheWindowAfterMidnightAndBeReproducible() {
        for (String domain : List.of("a.test", "b.test", "c.test", "d.test")) {
            Instant time = scheduler.sendTime(DAY, domain);
            assertThat(time).isBetween(MIDNIGHT.plus(ReportScheduler.SETTLE),
                MIDNIGHT.plus(ReportScheduler.SETTLE).plus(Duration.ofHours(4)).minusMillis(1));
            assertThat(time).isEqualTo(scheduler.sendTime(DAY, domain));
        }
        assertThat(scheduler.sendTime(DAY, "a.test")).isNotEqualTo(scheduler.sendTime(DAY, "b.test"));
    }

    @Test
    void tickShouldSendEachDomainOnlyFromItsOwnSendTime() {
        Instant a = scheduler.sendTime(DAY, "a.test");
        Instant b = scheduler.sendTime(DAY, "b.test");
        Instant first = a.isBefore(b) ? a : b;
        Instant second = a.isBefore(b) ? b : a;

        clock.set(first.minusMillis(1));
        List<DispatchResult> beforeAny = scheduler.tick();
        clock.set(first);
        List<DispatchResult> atFirst = scheduler.tick();
        clock.set(second);
        List<DispatchResult> atSecond = scheduler.tick();
        List<DispatchResult> later = scheduler.tick();

        assertThat(beforeAny).isEmpty();
        assertThat(atFirst).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(DispatchResult.Kind.SENT));
        assertThat(atSecond).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(DispatchResult.Kind.SENT));
        assertThat(atFirst.get(0).policyDomain()).isNotEqualTo(atSecond.get(0).policyDomain());
        assertThat(later).isEmpty();
        assertThat(mailer.submitted()).hasSize(2);
    }

    @Test
    void noReportShouldBeDueBeforeTheDaysLastSessionsCanHaveReachedTheStore() {
        // A session recorded at 23:59:59.9 reaches the store a flush later, and the clocks of a cluster's nodes differ
        // a little: a report built at 00:00:00 would miss such sessions and, once marked sent, never count them.
        ReportScheduler oneMinuteWindow = new ReportScheduler(reports, clock, 7L, Duration.ofMinutes(1));

        for (int i = 0; i < 200; i++) {
            assertThat(oneMinuteWindow.sendTime(DAY, "d" + i + ".test"))
                .isBetween(MIDNIGHT.plus(ReportScheduler.SETTLE), MIDNIGHT.plus(ReportScheduler.SETTLE)
                    .plus(Duration.ofMinutes(1)).minusMillis(1));
        }
    }

    @Test
    void firstTickAfterDowntimeShouldSendTheReportsWhoseTimePassedWhileDown() {
        // James down from before midnight to 02:00: a new scheduler (new seed, as after a restart) catches up at once.
        clock.set(MIDNIGHT.plus(Duration.ofHours(2)));
        ReportScheduler restarted = new ReportScheduler(reports, clock, 1234L, Duration.ofMinutes(30));

        List<DispatchResult> results = restarted.tick();

        assertThat(results).extracting(DispatchResult::policyDomain).containsExactlyInAnyOrder("a.test", "b.test");
        assertThat(results).allSatisfy(r -> assertThat(r.kind()).isEqualTo(DispatchResult.Kind.SENT));
        assertThat(restarted.tick()).isEmpty();
        assertThat(mailer.submitted()).hasSize(2);
    }

    @Test
    void scheduleShouldCatchUpOnTheDayBeforeYesterdayButNoFurther() {
        // Down for two days: DAY is the day before yesterday and still sent; down one more day, it is left to WebAdmin.
        clock.set(MIDNIGHT.plus(Duration.ofDays(2)).minusSeconds(1));
        assertThat(scheduler.tick()).hasSize(2);

        LocalDate other = DAY.minusDays(1);
        store.add(other, Map.of(SessionResult.success(ReportPolicy.noPolicyFound("a.test")), 1L));
        assertThat(scheduler.tick()).isEmpty();
        assertThat(mailer.submitted()).hasSize(2);
    }

    @Test
    void tickShouldNotReportTheCurrentDay() {
        clock.set(Instant.parse("2026-11-22T23:59:59Z"));

        assertThat(scheduler.tick()).isEmpty();
        assertThat(mailer.submitted()).isEmpty();
    }
}
