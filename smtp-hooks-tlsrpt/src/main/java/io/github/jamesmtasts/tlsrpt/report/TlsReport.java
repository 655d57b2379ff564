package io.github.jamesmtasts.tlsrpt.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One RFC 8460 4.4 report: immutable, as built by {@link TlsReportBuilder}. */
public final class TlsReport {

    private final String organizationName;
    private final DateRange dateRange;
    private final Optional<String> contactInfo;
    private final String reportId;
    private final List<PolicyReport> policies;

    private TlsReport(String organizationName, DateRange dateRange, Optional<String> contactInfo, String reportId,
                      List<PolicyReport> policies) {
        this.organizationName = Objects.requireNonNull(organizationName);
        this.dateRange = Objects.requireNonNull(dateRange);
        this.contactInfo = Objects.requireNonNull(contactInfo);
        this.reportId = Objects.requireNonNull(reportId);
        this.policies = List.copyOf(policies);
    }

    /**
     * @param contactInfo empty only for reports read from others that lack it (RFC 8460 requires it; we always set it)
     */
    public static TlsReport of(String organizationName, DateRange dateRange, Optional<String> contactInfo,
                               String reportId, List<PolicyReport> policies) {
        return new TlsReport(organizationName, dateRange, contactInfo, reportId, policies);
    }

    public String organizationName() {
        return organizationName;
    }

    public DateRange dateRange() {
        return dateRange;
    }

    public Optional<String> contactInfo() {
        return contactInfo;
    }

    public String reportId() {
        return reportId;
    }

    public List<PolicyReport> policies() {
        return policies;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsReport)) {
            return false;
        }
        TlsReport that = (TlsReport) o;
        return organizationName.equals(that.organizationName) && dateRange.equals(that.dateRange)
            && contactInfo.equals(that.contactInfo) && reportId.equals(that.reportId) && policies.equals(that.policies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationName, dateRange, contactInfo, reportId, policies);
    }

    @Override
    public String toString() {
        return "TlsReport{" + reportId + " " + dateRange + " " + policies + "}";
    }
}
