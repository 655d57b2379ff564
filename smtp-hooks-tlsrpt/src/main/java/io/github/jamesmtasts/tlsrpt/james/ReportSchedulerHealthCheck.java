package io.github.jamesmtasts.tlsrpt.james;

import javax.inject.Inject;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

/**
 * Health check {@code tlsrpt-report-scheduler} (design H1): the report passes of {@link TlsRptReportMailet}, which is
 * not a Guice singleton and reports its loop through the {@link TlsRptReportService} singleton. Healthy when the
 * mailet is not configured. Enabled in {@code conf/healthcheck.properties}:
 * {@code additional.healthchecks=io.github.jamesmtasts.tlsrpt.james.ReportSchedulerHealthCheck}.
 */
public class ReportSchedulerHealthCheck implements HealthCheck {

    private final LoopHealthCheck check;

    @Inject
    public ReportSchedulerHealthCheck(TlsRptReportService service) {
        this.check = LoopHealthCheck.of(TlsRptReportMailet.LOOP_NAME, service::liveness);
    }

    @Override
    public ComponentName componentName() {
        return check.componentName();
    }

    @Override
    public Publisher<Result> check() {
        return check.check();
    }
}
