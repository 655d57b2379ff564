package io.github.jamesmtasts.tlsrpt.james;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Singleton;

import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;
import io.github.jamesmtasts.tlsrpt.report.TlsReport;
import io.github.jamesmtasts.tlsrpt.send.DailyReports;
import io.github.jamesmtasts.tlsrpt.send.DispatchResult;

/**
 * On-demand reports for WebAdmin routes and tools: build, send or resend the report of a day. Bound as a Guice
 * singleton; {@link TlsRptReportMailet} connects it to its configuration when it starts.
 */
@Singleton
public class TlsRptReportService {

    private final AtomicReference<DailyReports> reports = new AtomicReference<>();

    void connect(DailyReports dailyReports) {
        reports.set(dailyReports);
    }

    void disconnect(DailyReports dailyReports) {
        reports.compareAndSet(dailyReports, null);
    }

    /** The report loop's liveness while the report mailet runs (empty when it is not configured). */
    public Optional<LoopLiveness> liveness() {
        return Optional.ofNullable(reports.get()).map(DailyReports::liveness);
    }

    public boolean isConfigured() {
        return reports.get() != null;
    }

    /** The report of {@code day} for {@code policyDomain} as it would be sent; empty when there were no sessions. */
    public Optional<TlsReport> build(LocalDate day, String policyDomain) {
        return reports().build(day, policyDomain);
    }

    /** Policy domains with sessions on {@code day}. */
    public List<String> policyDomains(LocalDate day) {
        return reports().policyDomains(day);
    }

    /** Sends whatever of {@code day} is due now (not sent, not given up, retry time reached), without waiting. */
    public List<DispatchResult> sendDue(LocalDate day) {
        return reports().sendDue(day);
    }

    /** Sends {@code day}'s report for {@code policyDomain} to every destination again, whatever was sent before. */
    public List<DispatchResult> resend(LocalDate day, String policyDomain) {
        return reports().resend(day, policyDomain);
    }

    /** Sends what {@code day} (not over yet) recorded so far, under a report-id of its own, touching no send state. */
    public List<DispatchResult> resendPartial(LocalDate day, String policyDomain) {
        return reports().resendPartial(day, policyDomain);
    }

    private DailyReports reports() {
        DailyReports current = reports.get();
        if (current == null) {
            throw new IllegalStateException("TLS-RPT reporting is not running: add TlsRptReportMailet to"
                + " mailetcontainer.xml (see james-conf-examples)");
        }
        return current;
    }
}
