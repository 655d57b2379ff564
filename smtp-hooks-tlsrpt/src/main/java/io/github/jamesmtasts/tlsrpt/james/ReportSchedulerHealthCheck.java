package io.github.jamesmtasts.tlsrpt.james;

import javax.inject.Inject;

/**
 * Health check {@code tlsrpt-report-scheduler} (design H1): the report passes of {@link TlsRptReportMailet}, which is
 * not a Guice singleton and reports its loop through the {@link TlsRptReportService} singleton. Healthy when the
 * mailet is not configured. Enabled in {@code conf/healthcheck.properties}:
 * {@code additional.healthchecks=io.github.jamesmtasts.tlsrpt.james.ReportSchedulerHealthCheck}.
 */
public class ReportSchedulerHealthCheck extends LoopHealthCheck {

    @Inject
    public ReportSchedulerHealthCheck(TlsRptReportService service) {
        super(TlsRptReportMailet.LOOP_NAME, service::liveness);
    }
}
