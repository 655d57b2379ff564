package io.github.jamesmtasts.tlsrpt.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The right, held by one node until {@link #leaseUntil()}, to send one day's report for one policy domain to one
 * {@code rua} (RFC 8460 5.5: every destination is tracked independently). {@link #attempt()} counts claims of this
 * destination and fences stale holders: only the holder of the latest claim can mark it sent or failed.
 */
public final class SendClaim {

    private final LocalDate day;
    private final String policyDomain;
    private final String rua;
    private final String nodeId;
    private final int attempt;
    private final Instant firstAttempt;
    private final Instant leaseUntil;

    private SendClaim(LocalDate day, String policyDomain, String rua, String nodeId, int attempt, Instant firstAttempt,
                      Instant leaseUntil) {
        this.day = Objects.requireNonNull(day);
        this.policyDomain = Objects.requireNonNull(policyDomain);
        this.rua = Objects.requireNonNull(rua);
        this.nodeId = Objects.requireNonNull(nodeId);
        this.attempt = attempt;
        this.firstAttempt = Objects.requireNonNull(firstAttempt);
        this.leaseUntil = Objects.requireNonNull(leaseUntil);
    }

    public static SendClaim of(LocalDate day, String policyDomain, String rua, String nodeId, int attempt,
                               Instant firstAttempt, Instant leaseUntil) {
        return new SendClaim(day, policyDomain, rua, nodeId, attempt, firstAttempt, leaseUntil);
    }

    public LocalDate day() {
        return day;
    }

    public String policyDomain() {
        return policyDomain;
    }

    public String rua() {
        return rua;
    }

    public String nodeId() {
        return nodeId;
    }

    /** 1 for the first claim of this destination, incremented by every later claim (after a failure or an expired lease). */
    public int attempt() {
        return attempt;
    }

    /** When the first claim was taken: RFC 8460 5.5 retries stop 24 hours after it. */
    public Instant firstAttempt() {
        return firstAttempt;
    }

    public Instant leaseUntil() {
        return leaseUntil;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SendClaim)) {
            return false;
        }
        SendClaim that = (SendClaim) o;
        return attempt == that.attempt && day.equals(that.day) && policyDomain.equals(that.policyDomain)
            && rua.equals(that.rua) && nodeId.equals(that.nodeId) && firstAttempt.equals(that.firstAttempt)
            && leaseUntil.equals(that.leaseUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(day, policyDomain, rua, nodeId, attempt, firstAttempt, leaseUntil);
    }

    @Override
    public String toString() {
        return "SendClaim{" + day + " " + policyDomain + " " + rua + " by " + nodeId + " #" + attempt
            + " until " + leaseUntil + "}";
    }
}
