package io.github.jamesmtasts.tlsrpt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.recorder.RecorderSettings;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;

/**
 * Sessions recorded per second into the embedded H2 store, from two delivery threads.
 * {@code record}: what delivery pays per session (fire and forget; the writer flushes every second in the
 * background). {@code recordAcknowledged}: each invocation records {@code batch} sessions and waits until they are
 * committed, so the figure includes the database writes (one flush of up to 4 x domains counters per batch).
 * Both check at tear-down that the file holds every recorded session.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=io/github/jamesmtasts/tlsrpt/bench/logback-bench.xml"})
public class RecorderBenchmark {

    private static final int BATCH = 100_000;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"1000"})
        int domains;
        @Param({"1000", "20"})
        int flushMillis;

        Path folder;
        Database database;
        BatchingTlsRptRecorder recorder;
        SessionResult[] results;
        final java.util.concurrent.atomic.LongAdder recorded = new java.util.concurrent.atomic.LongAdder();

        @Setup(Level.Trial)
        public void open() throws Exception {
            folder = Files.createTempDirectory("tlsrpt-bench");
            database = Database.open(DatabaseSettings.embedded(folder.resolve("bench")));
            recorder = BatchingTlsRptRecorder.start(JdbcResultStore.open(database), Clock.systemUTC(), RecorderSettings.defaults().withFlushInterval(Duration.ofMillis(flushMillis)).withMaxPendingKeys(RecorderSettings.DEFAULT_MAX_PENDING_KEYS));
            List<SessionResult> list = BenchmarkData.results(domains);
            results = list.toArray(new SessionResult[0]);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            recorder.close();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            JdbcResultStore store = JdbcResultStore.open(database);
            long stored = store.summaries(today).values().stream().mapToLong(s -> s.total()).sum()
                + store.summaries(today.minusDays(1)).values().stream().mapToLong(s -> s.total()).sum();
            database.close();
            BenchmarkData.delete(folder);
            if (stored != recorded.sum()) {
                throw new IllegalStateException("recorded " + recorded.sum() + " sessions but the store holds " + stored);
            }
            System.err.println("store holds all " + stored + " recorded sessions");
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;

        SessionResult next(Store store) {
            // Counted for the tear-down check; a striped adder costs a few nanoseconds.
            store.recorded.increment();
            int i = next;
            next = i + 1 == store.results.length ? 0 : i + 1;
            return store.results[i];
        }
    }

    @Benchmark
    public CompletionStage<Void> record(Store store, Cursor cursor) {
        return store.recorder.record(cursor.next(store));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void recordAcknowledged(Store store, Cursor cursor) throws Exception {
        CompletionStage<Void> last = null;
        for (int i = 0; i < BATCH; i++) {
            last = store.recorder.record(cursor.next(store));
        }
        // All records of one batch share a stage; a later batch is acknowledged after an earlier one.
        last.toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
}
