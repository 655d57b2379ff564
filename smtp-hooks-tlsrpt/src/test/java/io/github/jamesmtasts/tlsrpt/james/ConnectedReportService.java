package io.github.jamesmtasts.tlsrpt.james;

import io.github.jamesmtasts.tlsrpt.send.DailyReports;

/**
 * For route tests: a {@link TlsRptReportService} connected to a test's {@link DailyReports}, as the report mailet
 * connects it when James starts.
 */
public final class ConnectedReportService {

    private ConnectedReportService() {
    }

    public static TlsRptReportService of(DailyReports reports) {
        TlsRptReportService service = new TlsRptReportService();
        service.connect(reports, () -> { });
        return service;
    }
}
