package io.github.jamesmtasts.tlsrpt.james;

import java.util.Locale;

import org.apache.james.metrics.api.MetricFactory;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;

/**
 * Counts a background loop's skipped items and failed runs as the James metric {@code <loop name>_failures}, e.g.
 * {@code tlsrpt_report_scheduler_failures} (design H1: every failure at a loop boundary is counted).
 */
public final class LoopMetrics {

    private LoopMetrics() {
    }

    public static String metricName(String loopName) {
        return loopName.replace('-', '_').toLowerCase(Locale.ROOT) + "_failures";
    }

    public static void countFailures(LoopLiveness liveness, MetricFactory metricFactory) {
        String metric = metricName(liveness.name());
        liveness.onFailure(loop -> metricFactory.generate(metric).increment());
    }
}
