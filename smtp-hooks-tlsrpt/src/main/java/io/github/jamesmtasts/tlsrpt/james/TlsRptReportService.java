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
 * singleton; {@link TlsRptReportMailet} connects it to its configuration when it starts. The owner of the store
 * {@link #stop stops} the report passes through it before closing the database.
 */
@Singleton
public class TlsRptReportService {

    private final AtomicReference<DailyReports> reports = new AtomicReference<>();
    private final AtomicReference<Runnable> stopPasses = new AtomicReference<>();

    /** @param stop stops the connected mailet's passes and returns once a running pass has ended */
    void connect(DailyReports dailyReports, Runnable stop) {
        reports.set(dailyReports);
        stopPasses.set(stop);
    }

    void disconnect(DailyReports dailyReports) {
        if (reports.compareAndSet(dailyReports, null)) {
            stopPasses.set(null);
        }
    }

    /**
     * Stops the scheduled report passes and waits for a running one to end; called by the store's owner before it
     * closes the database at shutdown (James may close it before it destroys the mailets). On-demand calls fail
     * from now on like without the mailet.
     */
    public void stop() {
        reports.set(null);
        Runnable stop = stopPasses.getAndSet(null);
        if (stop != null) {
            stop.run();
        }
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
