package io.github.jamesmtasts.tlsrpt.recorder;

import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.EXPIRED;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.NONE_B;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.DaySummary;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/**
 * Issue 10 item 5: {@link BatchingTlsRptRecorder#recordDurably} returns once the record is committed, waiting threads
 * share one flush, and a failing store holds them only for the bounded commit wait. Flushes are gated by semaphores
 * (no timing): the periodic flush never fires on its own here.
 */
class GroupCommitTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Duration NEVER = Duration.ofDays(1);
    private static final long MAX_WAIT_MINUTES = 1;

    @TempDir
    Path folder;
    private Database database;
    private SwitchableResultStore store;
    /** One permit per write the test lets through. */
    private final Semaphore writesAllowed = new Semaphore(0);
    /** Released by each write as it starts. */
    private final Semaphore writesStarted = new Semaphore(0);
    private final AtomicInteger writes = new AtomicInteger();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));

    @BeforeEach
    void openStore() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("db")));
        store = new SwitchableResultStore(JdbcResultStore.open(database));
    }

    @AfterEach
    void closeStore() {
        writesAllowed.release(1_000);
        database.close();
    }

    /** The store, but each write first announces itself and waits for the test's permit. */
    private ResultStore gated() {
        return (ResultStore) Proxy.newProxyInstance(ResultStore.class.getClassLoader(), new Class<?>[] {ResultStore.class},
            (proxy, method, args) -> {
                if (method.getName().equals("add")) {
                    writesStarted.release();
                    if (!writesAllowed.tryAcquire(MAX_WAIT_MINUTES, TimeUnit.MINUTES)) {
                        throw new AssertionError("the test never let this write through");
                    }
                    writes.incrementAndGet();
                }
                try {
                    return method.invoke(store, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    private BatchingTlsRptRecorder recorder(ResultStore target, Duration commitWait) {
        return BatchingTlsRptRecorder.start(target, clock, RecorderSettings.defaults().withFlushInterval(NEVER)
            .withGroupCommit(Duration.ZERO).withCommitWait(commitWait));
    }

    /** A delivery thread; the future completes with what {@code recordDurably} returned. */
    private static CompletableFuture<Boolean> recordDurablyInAnotherThread(BatchingTlsRptRecorder recorder,
                                                                           SessionResult result) {
        return waitingThread(recorder, result).result;
    }

    private static DeliveryThread waitingThread(BatchingTlsRptRecorder recorder, SessionResult result) {
        DeliveryThread thread = new DeliveryThread(() -> recorder.recordDurably(result));
        thread.start();
        return thread;
    }

    private static final class DeliveryThread extends Thread {
        private final CompletableFuture<Boolean> result = new CompletableFuture<>();
        private final BooleanSupplier work;

        DeliveryThread(BooleanSupplier work) {
            super("delivery");
            setDaemon(true);
            this.work = work;
        }

        @Override
        public void run() {
            try {
                result.complete(work.getAsBoolean());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        /** Parked with a deadline: only the bounded wait for the commit does that in this test. */
        void awaitWaitingForCommit() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_WAIT_MINUTES);
            while (getState() != State.TIMED_WAITING) {
                assertThat(System.nanoTime() - deadline).as("thread never waited for its commit").isNegative();
                Thread.sleep(1); // another thread's progress: nothing in this JVM to wait on
            }
        }
    }

    @Test
    void recordDurablyShouldReturnOnlyOnceTheRecordIsCommitted() throws Exception {
        try (BatchingTlsRptRecorder recorder = recorder(gated(), Duration.ofMinutes(1))) {
            CompletableFuture<Boolean> delivery = recordDurablyInAnotherThread(recorder, SessionResult.success(STS_A));

            // The waiting thread made the writer flush long before its one-day interval.
            assertThat(writesStarted.tryAcquire(MAX_WAIT_MINUTES, TimeUnit.MINUTES)).isTrue();
            assertThat(delivery).isNotDone();

            writesAllowed.release();

            assertThat(delivery.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES)).isTrue();
            assertThat(store.summaries(DAY)).containsExactly(Map.entry("a.test", DaySummary.of(1, 0)));
        }
    }

    @Test
    void threadsWaitingDuringAFlushShouldShareTheNextTransaction() throws Exception {
        try (BatchingTlsRptRecorder recorder = recorder(gated(), Duration.ofMinutes(1))) {
            CompletableFuture<Boolean> first = recordDurablyInAnotherThread(recorder, SessionResult.success(STS_A));
            assertThat(writesStarted.tryAcquire(MAX_WAIT_MINUTES, TimeUnit.MINUTES)).isTrue();
            // While the first transaction runs, three more sessions wait for their commit.
            List<DeliveryThread> threads = List.of(
                waitingThread(recorder, SessionResult.success(STS_A)),
                waitingThread(recorder, SessionResult.failure(STS_A, EXPIRED)),
                waitingThread(recorder, SessionResult.success(NONE_B)));
            for (DeliveryThread thread : threads) {
                thread.awaitWaitingForCommit();
            }
            List<CompletableFuture<Boolean>> waiting = List.of(threads.get(0).result, threads.get(1).result,
                threads.get(2).result);
            assertThat(waiting).allSatisfy(f -> assertThat(f).isNotDone());

            writesAllowed.release(2);

            assertThat(first.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES)).isTrue();
            for (CompletableFuture<Boolean> f : waiting) {
                assertThat(f.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES)).isTrue();
            }
            assertThat(writes).as("transactions for four sessions").hasValue(2);
            assertThat(store.summaries(DAY)).containsOnly(Map.entry("a.test", DaySummary.of(2, 1)),
                Map.entry("b.test", DaySummary.of(1, 0)));
        }
    }

    @Test
    void failingStoreShouldHoldADeliveryThreadOnlyForTheCommitWaitAndKeepTheCounts() throws Exception {
        try (BatchingTlsRptRecorder recorder = recorder(store, Duration.ofMillis(50))) {
            store.down(true);

            boolean firstCommitted = recorder.recordDurably(SessionResult.success(STS_A));
            boolean secondCommitted = recorder.recordDurably(SessionResult.success(STS_A));

            assertThat(firstCommitted).isFalse();
            assertThat(secondCommitted).isFalse();
            assertThat(recorder.uncommittedWaits()).isEqualTo(2);

            store.down(false);
            recorder.flush();

            assertThat(store.summaries(DAY)).containsExactly(Map.entry("a.test", DaySummary.of(2, 0)));
            assertThat(recorder.recordDurably(SessionResult.success(STS_A))).isTrue();
        }
    }

    @Test
    void commitWaitZeroShouldNeverWait() throws Exception {
        try (BatchingTlsRptRecorder recorder = recorder(gated(), Duration.ZERO)) {
            assertThat(recorder.recordDurably(SessionResult.success(STS_A))).isFalse();
            assertThat(writesStarted.availablePermits()).isZero();
            assertThat(recorder.uncommittedWaits()).isZero();
            writesAllowed.release(); // for the last write when the recorder closes
        }
    }
}
