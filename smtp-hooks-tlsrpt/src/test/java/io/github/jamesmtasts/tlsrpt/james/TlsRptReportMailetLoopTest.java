package io.github.jamesmtasts.tlsrpt.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.healthcheck.Result;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Mono;

import io.github.jamesmtasts.tlsrpt.dns.TxtResolver;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.ThrowingResultStore;

/** Design H1 for the report loop: nothing one domain or one pass throws stops the daily reports. */
class TlsRptReportMailetLoopTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final String HOSTILE = "a-hostile.test";
    private static final String NORMAL = "z-normal.test";

    @TempDir
    Path folder;

    // After every domain's send time of DAY (the send window is 4 h after midnight).
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T05:00:00Z"));
    private final TlsRptReportService service = new TlsRptReportService();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final RecordingMetricFactory metricFactory = new RecordingMetricFactory();
    private final InMemoryTxtResolver dns = InMemoryTxtResolver.create()
        .withRecords("_smtp._tls." + NORMAL, "v=TLSRPTv1; rua=mailto:tlsrpt@" + NORMAL)
        .withRecords("_smtp._tls." + HOSTILE, "v=TLSRPTv1; rua=mailto:tlsrpt@" + HOSTILE);
    private Database database;
    private ResultStore store;
    private TlsRptReportMailet mailet;

    @BeforeEach
    void setUp() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(ReportPolicy.noPolicyFound(HOSTILE)), 3L,
            SessionResult.success(ReportPolicy.noPolicyFound(NORMAL)), 5L));
    }

    @AfterEach
    void tearDown() {
        if (mailet != null) {
            mailet.destroy();
        }
        database.close();
    }

    private FakeMailetConfig config(String tickInterval) {
        return FakeMailetConfig.builder().mailetName("TlsRptReportMailet").mailetContext(context)
            .setProperty("organizationName", "Sender Test Org")
            .setProperty("contactInfo", "tlsrpt@sender.test")
            .setProperty("tickInterval", tickInterval)
            .setProperty("nodeId", "node-a")
            .setProperty("seed", "7")
            // The loop's survival does not depend on signing (TlsRptReportMailetDkimTest covers it).
            .setProperty("dkimSign", "false")
            .build();
    }

    private Result health() {
        return Mono.from(new LoopHealthCheck(TlsRptReportMailet.LOOP_NAME, service::liveness).check()).block();
    }

    @Test
    void passShouldSkipADomainWhoseRecordBlowsTheStackAndReportTheOthers() throws Exception {
        TxtResolver hostileBlowsUp = name -> {
            if (name.asString().contains(HOSTILE)) {
                throw new StackOverflowError();
            }
            return dns.lookup(name);
        };
        mailet = new TlsRptReportMailet(store, service, hostileBlowsUp, metricFactory, clock);
        mailet.init(config("1d"));

        assertThatCode(mailet::pass).doesNotThrowAnyException();

        assertThat(context.getSentMails()).singleElement()
            .satisfies(sent -> assertThat(sent.getRecipients().toString()).contains(NORMAL));
        assertThat(metricFactory.countFor(LoopMetrics.metricName(TlsRptReportMailet.LOOP_NAME))).isEqualTo(1);
        assertThat(health().isDegraded()).isTrue();
        assertThat(health().getCause()).hasValueSatisfying(c -> assertThat(c).contains(HOSTILE));
    }

    @Test
    void passShouldNotThrowAnErrorFromTheStoreAndTheNextPassShouldSend() throws Exception {
        ResultStore failingOnce = ThrowingResultStore.failing(store, "policyDomains", () -> new OutOfMemoryError("test"), 2);
        mailet = new TlsRptReportMailet(failingOnce, service, dns, metricFactory, clock);
        mailet.init(config("1d"));

        assertThatCode(mailet::pass).doesNotThrowAnyException();
        mailet.pass();

        assertThat(context.getSentMails()).hasSize(2);
        assertThat(metricFactory.countFor(LoopMetrics.metricName(TlsRptReportMailet.LOOP_NAME))).isEqualTo(2);
        assertThat(health()).isEqualTo(Result.healthy(health().getComponentName()));
    }

    @Test
    void scheduledPassesShouldGoOnAfterAPassMetAnError() throws Exception {
        // The two days of each pass fail in the first pass; a periodic task that threw would never run again.
        ResultStore failingFirst = ThrowingResultStore.failing(store, "policyDomains", StackOverflowError::new, 2);
        mailet = new TlsRptReportMailet(failingFirst, service, dns, metricFactory, clock);

        mailet.init(config("50ms"));

        for (int i = 0; i < 600 && context.getSentMails().size() < 2; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(context.getSentMails()).hasSize(2);
    }

    @Test
    void destroyedMailetShouldLeaveNoReportLoopToCheck() throws Exception {
        mailet = new TlsRptReportMailet(store, service, dns, metricFactory, clock);
        mailet.init(config("1d"));
        assertThat(service.liveness()).isPresent();

        mailet.destroy();
        mailet = null;

        assertThat(service.liveness()).isEmpty();
    }

    @Test
    void serviceStopShouldLetARunningPassEndBeforeItReturns() throws Exception {
        // James closes the store's database right after TlsRptReportService.stop() returns (MtaStsResources.close):
        // no pass may still be reading or writing then.
        CountDownLatch inStore = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        ResultStore blocking = (ResultStore) Proxy.newProxyInstance(ResultStore.class.getClassLoader(),
            new Class<?>[] {ResultStore.class}, (proxy, called, args) -> {
                active.incrementAndGet();
                try {
                    if (called.getName().equals("policyDomains")) {
                        inStore.countDown();
                        release.await();
                    }
                    return called.invoke(store, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                } finally {
                    active.decrementAndGet();
                }
            });
        mailet = new TlsRptReportMailet(blocking, service, dns, metricFactory, clock);
        mailet.init(config("50ms"));
        assertThat(inStore.await(60, TimeUnit.SECONDS)).isTrue();

        AtomicInteger activeWhenStopped = new AtomicInteger(-1);
        Thread stopping = new Thread(() -> {
            service.stop();
            activeWhenStopped.set(active.get());
        });
        stopping.start();
        // Released only once stop() waits (or has already returned, which the assertion below catches).
        while (stopping.isAlive() && stopping.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        release.countDown();
        stopping.join();

        assertThat(activeWhenStopped).hasValue(0);
        assertThat(service.isConfigured()).isFalse();
    }
}
