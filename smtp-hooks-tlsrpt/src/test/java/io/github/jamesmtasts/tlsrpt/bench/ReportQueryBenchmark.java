package io.github.jamesmtasts.tlsrpt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.DaySummary;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;

/** What the daily report run reads from the embedded store: one domain's aggregates, and the day's summaries. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dlogback.configurationFile=io/github/jamesmtasts/tlsrpt/bench/logback-bench.xml"})
@State(Scope.Benchmark)
public class ReportQueryBenchmark {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);

    @Param({"1000"})
    int domains;

    private Path folder;
    private Database database;
    private JdbcResultStore store;
    private int next;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        folder = Files.createTempDirectory("tlsrpt-bench");
        database = Database.open(DatabaseSettings.embedded(folder.resolve("bench")));
        store = JdbcResultStore.open(database);
        Map<SessionResult, Long> day = new HashMap<>();
        List<SessionResult> results = BenchmarkData.results(domains);
        for (int i = 0; i < results.size(); i++) {
            day.put(results.get(i), 1L + i % 97);
        }
        store.add(DAY, day);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        database.close();
        BenchmarkData.delete(folder);
    }

    @Benchmark
    public List<PolicyAggregate> aggregatesOfOneDomain() {
        next = (next + 1) % domains;
        List<PolicyAggregate> aggregates = store.aggregates(DAY, "d" + next + ".bench.test");
        if (aggregates.size() != 1 || aggregates.get(0).failures().size() != 3) {
            throw new IllegalStateException("unexpected aggregates " + aggregates);
        }
        return aggregates;
    }

    @Benchmark
    public Map<String, DaySummary> summariesOfTheDay() {
        return store.summaries(DAY);
    }
}
