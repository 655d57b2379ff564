package io.github.jamesmtasts.tlsrpt.store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * Durable TLS-RPT state shared by every node of a cluster: per-day session counters (RFC 8460 4) and the claims that
 * make each report go out once per destination (RFC 8460 5.5). Days are UTC days. Every method may throw
 * {@link StoreException}, whose message names the database and what to fix.
 */
public interface ResultStore {

    /** RFC 1035: names are at most 255 octets; {@link #add} refuses longer policy domains. */
    int MAX_DOMAIN_LENGTH = 255;

    /**
     * Adds session counts to the day's counters, in one transaction: all or nothing. Counters are summed, never
     * replaced, so several nodes can add to the same day.
     *
     * @param increments sessions per distinct result; counts must be positive
     */
    void add(LocalDate day, Map<SessionResult, Long> increments);

    /** Policy domains with at least one session on {@code day}, sorted. */
    List<String> policyDomains(LocalDate day);

    /** The day's counters for one policy domain: one aggregate per distinct policy block (RFC 8460 4.4 {@code policies}). */
    List<PolicyAggregate> aggregates(LocalDate day, String policyDomain);

    /** Successes and failures per policy domain on {@code day}, sorted by domain; for operators. */
    Map<String, DaySummary> summaries(LocalDate day);

    /**
     * Claims the sending of {@code day}'s report for {@code policyDomain} to {@code rua} for {@code lease}, atomically
     * across nodes. Succeeds when nobody claimed it yet, or the previous lease expired, or the previous attempt
     * failed and its next attempt is due; never once it was sent or given up.
     *
     * @return the claim, or empty when another node holds it, it is finished, or its retry is not due yet
     */
    Optional<SendClaim> claim(LocalDate day, String policyDomain, String rua, String nodeId, Duration lease, Instant now);

    /**
     * Records that the report was delivered; no node will claim it again.
     *
     * @return false when the claim was lost (its lease expired and another node claimed it): the report may have
     *     gone out twice, which the caller should log
     */
    boolean markSent(SendClaim claim, Instant now);

    /**
     * Releases the lease after a failed attempt; the destination can be claimed again from {@code nextAttempt}.
     *
     * @return false when the claim was lost to another node
     */
    boolean markFailed(SendClaim claim, Instant nextAttempt, String error);

    /**
     * Stops retrying this destination (RFC 8460 5.5: give up after 24 hours).
     *
     * @return false when the claim was lost to another node
     */
    boolean giveUp(SendClaim claim, Instant now, String error);

    /** Every destination of {@code day} that was ever claimed, sorted by policy domain and rua. */
    List<SendState> sendStates(LocalDate day);

    /**
     * Retention: deletes counters and send states of days before {@code day}, and policies and failure details no
     * longer used since then.
     *
     * @return the number of counter rows deleted
     */
    long purgeBefore(LocalDate day);
}
