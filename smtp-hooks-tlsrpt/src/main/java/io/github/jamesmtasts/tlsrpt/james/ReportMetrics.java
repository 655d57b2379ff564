package io.github.jamesmtasts.tlsrpt.james;

import java.util.List;
import java.util.Locale;

import org.apache.james.metrics.api.MetricFactory;

import io.github.jamesmtasts.tlsrpt.send.DispatchResult;

/**
 * Counts what each report pass did, per destination outcome, as James metrics named
 * {@code tlsrpt_reports_<outcome>} ({@code sent}, {@code retry_scheduled}, {@code gave_up}, {@code failed},
 * {@code claim_lost}, {@code no_record}, {@code bad_record}, {@code dns_error}).
 */
final class ReportMetrics {

    static final String PREFIX = "tlsrpt_reports_";

    private final MetricFactory metricFactory;

    ReportMetrics(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
    }

    void count(List<DispatchResult> results) {
        for (DispatchResult result : results) {
            metricFactory.generate(PREFIX + result.kind().name().toLowerCase(Locale.ROOT)).increment();
        }
    }
}
