package io.github.jamesmtasts.tlsrpt.send;

import io.github.jamesmtasts.tlsrpt.recorder.RecorderSettings;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.mail.internet.InternetAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.discover.TlsRptDiscovery;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.Cidr;
import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.report.ReportFixtures;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.TestPki;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;

/**
 * Two James nodes ("A" and "B": each its own pool, store, recorder and report sender) on one real PostgreSQL: counts
 * are summed, each (day, policy domain, rua) report goes out once, and a crashed sender's claim is taken over.
 */
class ClusterReportsPostgresTest {

    // One send thread: destinations go in submission order, as in production with sendThreads = 1.
    private final DestinationPool pool = DestinationPool.of(1, Duration.ofMinutes(2), "test-send");

    private static final TestPki PKI = TestPki.create("cluster reports CA");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final String DOMAIN = "cluster.test";
    private static final ReportPolicy POLICY = ReportPolicy.sts(DOMAIN,
        List.of("version: STSv1", "mode: enforce", "mx: *.cluster.test", "max_age: 86400"), List.of("*.cluster.test"));
    private static final FailureDetails EXPIRED = FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
        .sendingMtaIp("192.0.2.1").receivingMxHostname("mx1.cluster.test").receivingIp("198.51.100.9").build();
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final String MAILTO_RUA = "mailto:tlsrpt@reports.cluster.test";

    private final SettableClock clock = new SettableClock(DAY.atTime(10, 0).toInstant(java.time.ZoneOffset.UTC));
    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create();
    private Database databaseA;
    private Database databaseB;
    private JdbcResultStore storeA;
    private JdbcResultStore storeB;
    private HttpsCollector collector;

    @BeforeEach
    void openNodes() {
        String url = TestPostgres.shared().createDatabase();
        databaseA = Database.open(DatabaseSettings.postgresql(url, Optional.of(TestPostgres.shared().user()), Optional.empty(), 4));
        databaseB = Database.open(DatabaseSettings.postgresql(url, Optional.of(TestPostgres.shared().user()), Optional.empty(), 4));
        storeA = JdbcResultStore.open(databaseA);
        storeB = JdbcResultStore.open(databaseB);
    }

    @AfterEach
    void closeNodes() {
        if (collector != null) {
            collector.close();
        }
        pool.close();
        databaseA.close();
        databaseB.close();
    }

    @Test
    void sessionsRecordedOnTwoNodesShouldBeSummed() throws Exception {
        try (BatchingTlsRptRecorder recorderA = BatchingTlsRptRecorder.start(storeA, clock, RecorderSettings.defaults());
             BatchingTlsRptRecorder recorderB = BatchingTlsRptRecorder.start(storeB, clock, RecorderSettings.defaults())) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                acks.add(recorderA.record(SessionResult.success(POLICY)).toCompletableFuture());
                acks.add(recorderB.record(SessionResult.success(POLICY)).toCompletableFuture());
            }
            for (int i = 0; i < 10; i++) {
                acks.add(recorderA.record(SessionResult.failure(POLICY, EXPIRED)).toCompletableFuture());
                acks.add(recorderB.record(SessionResult.failure(POLICY, EXPIRED)).toCompletableFuture());
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        }

        assertThat(storeB.aggregates(DAY, DOMAIN))
            .containsExactly(PolicyAggregate.of(POLICY, 1000, Map.of(EXPIRED, 20L)));
    }

    @Test
    void concurrentReportPassesOfTwoNodesShouldSendEachDestinationOnce() throws Exception {
        storeA.add(DAY, Map.of(SessionResult.success(POLICY), 40L, SessionResult.failure(POLICY, EXPIRED), 2L));
        publishRecord();
        clock.set(Instant.parse("2026-11-23T00:30:00Z"));
        RecordingMailer mailerA = new RecordingMailer();
        RecordingMailer mailerB = new RecordingMailer();
        DailyReports nodeA = reports(storeA, "node-a", mailerA);
        DailyReports nodeB = reports(storeB, "node-b", mailerB);

        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            Future<List<DispatchResult>> a = threads.submit(() -> {
                start.await();
                return nodeA.sendDue(DAY);
            });
            Future<List<DispatchResult>> b = threads.submit(() -> {
                start.await();
                return nodeB.sendDue(DAY);
            });
            start.countDown();
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(collector.received()).hasSize(1);
        assertThat(mailerA.submitted().size() + mailerB.submitted().size()).isEqualTo(1);
    }

    @Test
    void claimOfACrashedNodeShouldBeTakenOverOnceItsLeaseExpires() throws Exception {
        storeA.add(DAY, Map.of(SessionResult.success(POLICY), 40L));
        String httpsRua = publishRecord();
        clock.set(Instant.parse("2026-11-23T00:30:00Z"));
        // Node A claims both destinations, then dies before sending anything.
        assertThat(storeA.claim(DAY, DOMAIN, MAILTO_RUA, "node-a", LEASE, clock.instant())).isPresent();
        assertThat(storeA.claim(DAY, DOMAIN, httpsRua, "node-a", LEASE, clock.instant())).isPresent();
        RecordingMailer mailerB = new RecordingMailer();
        DailyReports nodeB = reports(storeB, "node-b", mailerB);

        nodeB.sendDue(DAY);
        assertThat(collector.received()).isEmpty();
        assertThat(mailerB.submitted()).isEmpty();

        clock.advance(LEASE.plusSeconds(1));
        nodeB.sendDue(DAY);

        assertThat(collector.received()).hasSize(1);
        assertThat(mailerB.submitted()).hasSize(1);
    }

    private String publishRecord() throws Exception {
        collector = new HttpsCollector(PKI, 200, 200);
        String httpsRua = collector.url("/v1/tlsrpt");
        dns.withRecords("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=" + MAILTO_RUA + "," + httpsRua);
        return httpsRua;
    }

    private DailyReports reports(JdbcResultStore store, String nodeId, RecordingMailer mailer) throws Exception {
        DispatchSettings settings = DispatchSettings.of(ReportFixtures.IDENTITY,
            new InternetAddress("tlsrpt-noreply@sender.test"), nodeId, LEASE, RetrySchedule.rfc8460());
        HttpsReportSender https = new HttpsReportSender(Duration.ofSeconds(20), TrustAnchors.of(PKI.trustStore()),
            GuardedConnector.of(AddressGuard.allowing(List.of(Cidr.parse("127.0.0.0/8")))));
        return new DailyReports(store, new TlsRptDiscovery(dns), mailer, https, settings, clock,
            LoopLiveness.of("tlsrpt-reports", clock, Duration.ofDays(1)), pool);
    }
}
