package io.github.jamesmtasts.tlsrpt.send;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** What one pass of {@link DailyReports} did for one policy domain, or for one of its {@code rua} destinations. */
public final class DispatchResult {

    public enum Kind {
        /** Delivered to the destination (mail accepted, or HTTP 2xx). */
        SENT,
        /** Failed; the store will let a node claim it again at the next attempt time (RFC 8460 5.5). */
        RETRY_SCHEDULED,
        /** Failed, and the 24 hours of retries are over. */
        GAVE_UP,
        /** Failed during an operator resend, which is not retried. */
        FAILED,
        /** Sent or failed, but another node had taken the claim meanwhile (a lease expired); logged, not retried. */
        CLAIM_LOST,
        /** The domain publishes no {@code _smtp._tls} record: it wants no report. */
        NO_RECORD,
        /** The domain's record is invalid or there are several: nothing can be sent until it fixes its DNS. */
        BAD_RECORD,
        /** The TXT lookup failed temporarily; the next pass tries again. */
        DNS_ERROR
    }

    private final LocalDate day;
    private final String policyDomain;
    private final Optional<String> rua;
    private final Kind kind;
    private final Optional<String> detail;

    private DispatchResult(LocalDate day, String policyDomain, Optional<String> rua, Kind kind, Optional<String> detail) {
        this.day = Objects.requireNonNull(day);
        this.policyDomain = Objects.requireNonNull(policyDomain);
        this.rua = rua;
        this.kind = Objects.requireNonNull(kind);
        this.detail = detail;
    }

    public static DispatchResult forDomain(LocalDate day, String policyDomain, Kind kind, Optional<String> detail) {
        return new DispatchResult(day, policyDomain, Optional.empty(), kind, detail);
    }

    public static DispatchResult forDestination(LocalDate day, String policyDomain, String rua, Kind kind,
                                                Optional<String> detail) {
        return new DispatchResult(day, policyDomain, Optional.of(rua), kind, detail);
    }

    public LocalDate day() {
        return day;
    }

    public String policyDomain() {
        return policyDomain;
    }

    /** The destination as published in the record, for per-destination results. */
    public Optional<String> rua() {
        return rua;
    }

    public Kind kind() {
        return kind;
    }

    public Optional<String> detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DispatchResult)) {
            return false;
        }
        DispatchResult that = (DispatchResult) o;
        return day.equals(that.day) && policyDomain.equals(that.policyDomain) && rua.equals(that.rua)
            && kind == that.kind && detail.equals(that.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(day, policyDomain, rua, kind, detail);
    }

    @Override
    public String toString() {
        return "DispatchResult{" + day + " " + policyDomain + rua.map(r -> " " + r).orElse("") + " " + kind
            + detail.map(d -> " " + d).orElse("") + "}";
    }
}
