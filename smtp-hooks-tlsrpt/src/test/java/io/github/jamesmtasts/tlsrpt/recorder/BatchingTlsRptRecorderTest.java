package io.github.jamesmtasts.tlsrpt.recorder;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.EXPIRED;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.NONE_B;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.DaySummary;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.StoreException;

class BatchingTlsRptRecorderTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    /** The writer thread never fires on its own in tests that flush by hand. */
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path folder;
    private Database database;
    private SwitchableResultStore store;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));

    @BeforeEach
    void openStore() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("db")));
        store = new SwitchableResultStore(JdbcResultStore.open(database));
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    @Test
    void recordShouldBeAcknowledgedOnlyOnceItsBatchIsCommitted() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000))) {
            CompletionStage<Void> first = recorder.record(SessionResult.success(STS_A));
            CompletionStage<Void> second = recorder.record(SessionResult.failure(STS_A, EXPIRED));

            assertThat(first.toCompletableFuture().isDone()).isFalse();
            assertThat(store.policyDomains(DAY)).isEmpty();

            recorder.flush();

            assertThat(first.toCompletableFuture().isDone()).isTrue();
            assertThat(second.toCompletableFuture().isDone()).isTrue();
            assertThat(store.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, 1, Map.of(EXPIRED, 1L)));
        }
    }

    @Test
    void recordShouldCountSessionsUnderTheUtcDayOfTheClock() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000))) {
            clock.set(Instant.parse("2026-11-22T23:59:59.999Z"));
            recorder.record(SessionResult.success(STS_A));
            clock.set(Instant.parse("2026-11-23T00:00:00Z"));
            recorder.record(SessionResult.success(STS_A));
            recorder.record(SessionResult.success(STS_A));
            recorder.flush();
        }

        assertThat(store.summaries(DAY)).containsExactly(Map.entry("a.test", DaySummary.of(1, 0)));
        assertThat(store.summaries(DAY.plusDays(1))).containsExactly(Map.entry("a.test", DaySummary.of(2, 0)));
    }

    @Test
    void failedFlushShouldKeepTheCountsAndWriteThemOnceTheStoreIsBack() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000))) {
            CompletionStage<Void> before = recorder.record(SessionResult.success(STS_A));
            store.down(true);

            assertThatThrownBy(recorder::flush).isInstanceOf(StoreException.class);
            CompletionStage<Void> during = recorder.record(SessionResult.success(STS_A));
            assertThatThrownBy(recorder::flush).isInstanceOf(StoreException.class);
            assertThat(before.toCompletableFuture().isDone()).isFalse();
            assertThat(recorder.pendingKeys()).isEqualTo(1);

            store.down(false);
            recorder.flush();

            assertThat(before.toCompletableFuture().isDone()).isTrue();
            assertThat(during.toCompletableFuture().isDone()).isTrue();
            assertThat(recorder.pendingKeys()).isZero();
        }
        assertThat(store.summaries(DAY)).containsExactly(Map.entry("a.test", DaySummary.of(2, 0)));
    }

    @Test
    void closeShouldWriteWhatIsLeft() throws Exception {
        BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000));
        CompletionStage<Void> stage = recorder.record(SessionResult.success(NONE_B));

        recorder.close();

        await(stage);
        assertThat(store.summaries(DAY)).containsExactly(Map.entry("b.test", DaySummary.of(1, 0)));
    }

    @Test
    void closeWhileTheStoreIsDownShouldFailTheStagesOfUnwrittenRecords() {
        BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000));
        CompletionStage<Void> stage = recorder.record(SessionResult.success(NONE_B));
        store.down(true);

        recorder.close();

        assertThatThrownBy(() -> await(stage)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(StoreException.class).hasMessageContaining("1 recorded sessions could be written");
    }

    @Test
    void recordAfterCloseShouldFailItsStage() {
        BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000));
        recorder.close();

        assertThatThrownBy(() -> await(recorder.record(SessionResult.success(STS_A))))
            .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void writerShouldFlushAsSoonAsEnoughDistinctResultsWait() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(3))) {
            recorder.record(SessionResult.success(ReportPolicy.noPolicyFound("one.test")));
            recorder.record(SessionResult.success(ReportPolicy.noPolicyFound("two.test")));
            CompletionStage<Void> third = recorder.record(SessionResult.success(ReportPolicy.noPolicyFound("three.test")));

            await(third);

            assertThat(store.policyDomains(DAY)).containsExactly("one.test", "three.test", "two.test");
        }
    }

    @Test
    void writerShouldFlushPeriodicallyAndRetryWhileTheStoreIsDown() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(Duration.ofMillis(5)).withMaxPendingKeys(1_000))) {
            store.down(true);
            CompletionStage<Void> stage = recorder.record(SessionResult.success(STS_A));
            assertThat(store.awaitFailedAdds(3)).isTrue();
            assertThat(stage.toCompletableFuture().isDone()).isFalse();

            store.down(false);

            await(stage);
        }
        assertThat(store.summaries(DAY)).containsExactly(Map.entry("a.test", DaySummary.of(1, 0)));
    }

    @Test
    void concurrentRecordsShouldAllBeCounted() throws Exception {
        int threads = 4;
        int each = 5_000;
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(Duration.ofMillis(2)).withMaxPendingKeys(2))) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        recorder.record(i % 2 == 0 ? SessionResult.success(STS_A) : SessionResult.failure(STS_A, EXPIRED));
                    }
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join(TimeUnit.MINUTES.toMillis(1));
            }
            recorder.flush();
        }
        long half = (long) threads * each / 2;
        assertThat(store.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, half, Map.of(EXPIRED, half)));
    }

    @Test
    void recordShouldRefuseADomainTheStoreCannotHoldWithoutBlockingOtherCounts() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(1_000))) {
            CompletionStage<Void> refused = recorder.record(
                SessionResult.success(ReportPolicy.noPolicyFound("x".repeat(300) + ".test")));
            CompletionStage<Void> kept = recorder.record(SessionResult.success(STS_A));

            recorder.flush();

            assertThatThrownBy(() -> await(refused)).hasCauseInstanceOf(IllegalArgumentException.class);
            await(kept);
        }
        assertThat(store.summaries(DAY)).containsExactly(Map.entry("a.test", DaySummary.of(1, 0)));
    }
}
