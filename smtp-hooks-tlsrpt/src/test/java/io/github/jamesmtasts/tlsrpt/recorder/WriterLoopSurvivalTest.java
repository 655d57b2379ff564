package io.github.jamesmtasts.tlsrpt.recorder;

import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.health.LoopStatus;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import io.github.jamesmtasts.tlsrpt.testing.ThrowingResultStore;

/** Design H1: nothing a store write throws ends the recorder's writer thread. */
class WriterLoopSurvivalTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Duration FLUSH = Duration.ofMillis(20);

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private Database database;
    private ResultStore store;
    private BatchingTlsRptRecorder recorder;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("db")));
        store = JdbcResultStore.open(database);
    }

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
        database.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
            Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new),
            Arguments.of("OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("test")),
            Arguments.of("RuntimeException", (Supplier<Throwable>) () -> new IllegalStateException("test")));
    }

    @ParameterizedTest(name = "H1 writer survives {0} from a store write")
    @MethodSource("failures")
    void writerShouldSurviveAFailedWriteAndWriteTheCountsAtTheNextFlush(String name, Supplier<Throwable> failure)
        throws Exception {
        recorder = BatchingTlsRptRecorder.start(ThrowingResultStore.failing(store, "add", failure, 1), clock, RecorderSettings.defaults().withFlushInterval(FLUSH).withMaxPendingKeys(1_000));

        // Acknowledged only once written: a dead writer never acknowledges (the generous bound turns that into a failure).
        recorder.record(SessionResult.success(STS_A)).toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(store.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, 1, Map.of()));
        assertThat(recorder.liveness().failures()).isEqualTo(1);
        assertThat(recorder.liveness().status()).isEqualTo(LoopStatus.healthy());
    }

    @Test
    void closedRecorderShouldReportItsWriterStopped() {
        recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(FLUSH).withMaxPendingKeys(1_000));

        recorder.close();

        assertThat(recorder.liveness().status().kind()).isEqualTo(LoopStatus.Kind.UNHEALTHY);
    }

    @Test
    void writerShouldBeUnhealthyWhenTheStoreRefusesWritesLongerThanTheBound() {
        recorder = BatchingTlsRptRecorder.start(ThrowingResultStore.failing(store, "add",
            () -> new IllegalStateException("database down"), Integer.MAX_VALUE), clock, RecorderSettings.defaults().withFlushInterval(Duration.ofDays(1)).withMaxPendingKeys(1_000));
        recorder.record(SessionResult.success(STS_A));
        recorder.writeOnce();
        clock.advance(recorder.liveness().maxSilence().plusSeconds(1));

        LoopStatus status = recorder.liveness().status();

        assertThat(status.kind()).isEqualTo(LoopStatus.Kind.UNHEALTHY);
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("database down"));
    }
}
