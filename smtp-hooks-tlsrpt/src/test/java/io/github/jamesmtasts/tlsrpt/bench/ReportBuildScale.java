package io.github.jamesmtasts.tlsrpt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.report.ReportIdentity;
import io.github.jamesmtasts.tlsrpt.report.ReportJson;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.report.TlsReportBuilder;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;

/**
 * Scale measurement (a program, not a test): one UTC day of counters for N policy domains with 10 distinct failure
 * rows each, in the embedded store, then every domain's report built, serialised to JSON and gzipped, one domain at a
 * time as the report mailet does. Run with {@code -Xmx512m} to prove the heap bound; it prints the build time and the
 * peak heap. Usage: {@code ReportBuildScale [domains]} (default 100000).
 */
public final class ReportBuildScale {

    private static final int FAILURE_ROWS = 10;

    private ReportBuildScale() {
    }

    public static void main(String[] args) throws Exception {
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path folder = Files.createTempDirectory("mtasts-report-scale");
        LocalDate day = LocalDate.of(2026, 11, 22);
        try (Database database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")))) {
            JdbcResultStore store = JdbcResultStore.open(database);
            long fillStart = System.nanoTime();
            fill(store, day, domains);
            Duration fill = Duration.ofNanos(System.nanoTime() - fillStart);

            resetPeaks();
            TlsReportBuilder builder = TlsReportBuilder.stableIds();
            ReportIdentity identity = ReportIdentity.of("Example Org", "mailto:tlsrpt@example.org", "example.org");
            long bytes = 0;
            long reports = 0;
            long buildStart = System.nanoTime();
            for (String domain : store.policyDomains(day)) {
                List<PolicyAggregate> aggregates = store.aggregates(day, domain);
                TlsReport report = builder.build(identity, day, domain, aggregates);
                bytes += ReportJson.toGzip(report).length;
                reports++;
            }
            Duration build = Duration.ofNanos(System.nanoTime() - buildStart);
            System.out.printf("domains=%d failure-rows/domain=%d fill=%ds reports=%d build=%.1fs (%.0f reports/s)"
                    + " gzip-bytes=%d peak-heap-during-build=%d MiB max-heap=%d MiB%n",
                domains, FAILURE_ROWS, fill.getSeconds(), reports, build.toMillis() / 1000.0,
                reports / Math.max(0.001, build.toMillis() / 1000.0), bytes, peakHeapMiB(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        } finally {
            BenchmarkData.delete(folder);
        }
    }

    /** Inserts the day in batches of 1,000 domains, as flushes of the batching recorder would. */
    private static void fill(JdbcResultStore store, LocalDate day, int domains) {
        Map<SessionResult, Long> batch = new HashMap<>();
        for (int d = 0; d < domains; d++) {
            String domain = "d" + d + ".scale.test";
            ReportPolicy policy = ReportPolicy.sts(domain, List.of("version: STSv1", "mode: enforce",
                "mx: mx1." + domain, "mx: *." + domain, "max_age: 604800"), List.of("mx1." + domain, "*." + domain));
            batch.put(SessionResult.success(policy), 1000L);
            for (int f = 0; f < FAILURE_ROWS; f++) {
                batch.put(SessionResult.failure(policy, FailureDetails.builder(ResultType.VALIDATION_FAILURE)
                    .sendingMtaIp("192.0.2.1").receivingMxHostname("mx" + f + "." + domain)
                    .receivingIp("198.51.100." + (f + 1)).failureReasonCode("handshake_failure").build()), (long) f + 1);
            }
            if (batch.size() >= 11_000) {
                store.add(day, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.add(day, batch);
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
