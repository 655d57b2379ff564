package io.github.jamesmtasts.mtasts.cache;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * One domain's cached MTA-STS policy (RFC 8461 3.3): the policy as fetched under a TXT record id, when it expires
 * ({@code fetchedAt + max_age}), when the TXT id was last checked, when a delivery last used it, and how the last
 * refresh went. Immutable; every change makes a new value.
 */
public final class CachedPolicy {

    private final DomainName domain;
    private final String recordId;
    private final StsPolicy policy;
    // Memory (100,000s of cached policies): the text is kept only when it is not simply the policy's lines, each
    // ended by LF or by CRLF - the usual case; times are epoch milliseconds (the precision of the store).
    private final String verbatimText;
    private final boolean crlf;
    private final long fetchedAt;
    private final long expiresAt;
    private final long lastCheckedAt;
    private final long lastUsedAt;
    private final Optional<String> lastFailure;
    private final int consecutiveFailures;
    // Which fetch this is, the same on every node that holds it: a store applies a later check or failure of this
    // fetch only while it still holds this fetch, so no node's clock decides which policy is the later one.
    private final long fetchId;
    // Made by fetched() and not yet derived from: the store replaces whatever it holds with it.
    private final boolean newFetch;

    private CachedPolicy(DomainName domain, String recordId, StsPolicy policy, String policyText, Instant fetchedAt,
                         Instant expiresAt, Instant lastCheckedAt, Instant lastUsedAt, Optional<String> lastFailure,
                         int consecutiveFailures, long fetchId, boolean newFetch) {
        this(domain, recordId, policy, compactText(policy, Objects.requireNonNull(policyText, "policyText")),
            policyText.endsWith("\r\n"), fetchedAt.toEpochMilli(), expiresAt.toEpochMilli(),
            lastCheckedAt.toEpochMilli(), lastUsedAt.toEpochMilli(), lastFailure, consecutiveFailures, fetchId,
            newFetch);
    }

    private CachedPolicy(DomainName domain, String recordId, StsPolicy policy, String verbatimText, boolean crlf,
                         long fetchedAt, long expiresAt, long lastCheckedAt, long lastUsedAt,
                         Optional<String> lastFailure, int consecutiveFailures, long fetchId, boolean newFetch) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.recordId = Objects.requireNonNull(recordId, "recordId");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.verbatimText = verbatimText;
        this.crlf = crlf;
        this.fetchedAt = fetchedAt;
        this.expiresAt = expiresAt;
        this.lastCheckedAt = lastCheckedAt;
        this.lastUsedAt = lastUsedAt;
        this.lastFailure = Objects.requireNonNull(lastFailure, "lastFailure");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must not be negative: " + consecutiveFailures);
        }
        this.consecutiveFailures = consecutiveFailures;
        this.fetchId = fetchId;
        this.newFetch = newFetch;
    }

    /**
     * A copy with other check/use times, failure and (equal) policy instance. A new check or failure is an update of
     * the fetch, no longer a new fetch; a use or a shared instance changes nothing that matters to the store.
     */
    private CachedPolicy with(StsPolicy samePolicy, long checked, long used, Optional<String> failure, int failures,
                              boolean stillNewFetch) {
        return new CachedPolicy(domain, recordId, samePolicy, verbatimText, crlf, fetchedAt, expiresAt, checked, used,
            failure, failures, fetchId, stillNewFetch);
    }

    /** @return null when {@code text} is the policy's lines each ended by LF, or each ended by CRLF */
    private static String compactText(StsPolicy policy, String text) {
        return text.equals(render(policy, "\n")) || text.equals(render(policy, "\r\n")) ? null : text;
    }

    private static String render(StsPolicy policy, String terminator) {
        StringBuilder text = new StringBuilder();
        for (String line : policy.lines()) {
            text.append(line).append(terminator);
        }
        return text.toString();
    }

    /** A policy just fetched under {@code recordId}: checked and used now, expiring after its {@code max_age}. */
    public static CachedPolicy fetched(DomainName domain, String recordId, StsPolicy policy, String policyText, Instant now) {
        return new CachedPolicy(domain, recordId, policy, policyText, now, now.plus(policy.maxAge()), now, now,
            Optional.empty(), 0, newFetchId(), true);
    }

    /** A random non-zero id (0 marks rows stored before fetch ids existed); collisions are 1 in 2^64. */
    private static long newFetchId() {
        UUID random = UUID.randomUUID();
        long id = random.getMostSignificantBits() ^ random.getLeastSignificantBits();
        return id == 0 ? 1 : id;
    }

    /** Every field given, as read back from a store. */
    public static CachedPolicy of(DomainName domain, String recordId, StsPolicy policy, String policyText, Instant fetchedAt,
                                  Instant expiresAt, Instant lastCheckedAt, Instant lastUsedAt,
                                  Optional<String> lastFailure, int consecutiveFailures, long fetchId) {
        return new CachedPolicy(domain, recordId, policy, policyText, fetchedAt, expiresAt, lastCheckedAt, lastUsedAt,
            lastFailure, consecutiveFailures, fetchId, false);
    }

    /** The TXT id was checked at {@code now} and is unchanged, or the record is gone (which keeps the policy). */
    public CachedPolicy checked(Instant now) {
        return with(policy, now.toEpochMilli(), lastUsedAt, Optional.empty(), 0, false);
    }

    /**
     * A check or refresh failed at {@code now}; the policy stays in force until it expires (RFC 8461 3.3).
     *
     * @param checked whether the TXT id was actually read (a DNS failure reads nothing)
     */
    public CachedPolicy failed(Instant now, String failure, boolean checked) {
        return with(policy, checked ? now.toEpochMilli() : lastCheckedAt, lastUsedAt, Optional.of(failure),
            consecutiveFailures + 1, false);
    }

    public CachedPolicy usedAt(Instant when) {
        long used = when.toEpochMilli();
        if (used <= lastUsedAt) {
            return this;
        }
        return with(policy, lastCheckedAt, used, lastFailure, consecutiveFailures, newFetch);
    }

    /**
     * The same cached policy holding {@code equalPolicy}, an equal {@link StsPolicy} whose parts are shared with other
     * cached policies (to save memory).
     */
    public CachedPolicy sharing(StsPolicy equalPolicy) {
        if (!equalPolicy.equals(policy)) {
            throw new IllegalArgumentException("not the same policy: " + equalPolicy + " vs " + policy);
        }
        return with(equalPolicy, lastCheckedAt, lastUsedAt, lastFailure, consecutiveFailures, newFetch);
    }

    /** Identifies the HTTPS fetch this policy came from, across nodes; 0 for rows stored before fetch ids. */
    public long fetchId() {
        return fetchId;
    }

    /** Whether this is a fetch no store has seen yet (it then replaces the stored row, see {@link PolicyStore#save}). */
    public boolean isNewFetch() {
        return newFetch;
    }

    /** Whether both come from the same HTTPS fetch (possibly checked or used at other times since). */
    public boolean sameFetchAs(CachedPolicy other) {
        return fetchId == other.fetchId && domain.equals(other.domain);
    }

    public boolean isExpired(Instant now) {
        return now.toEpochMilli() >= expiresAt;
    }

    /** Lower case, no trailing dot. */
    public DomainName domain() {
        return domain;
    }

    /** The {@code id} of the {@code _mta-sts} TXT record the policy was fetched under (RFC 8461 3.1). */
    public String recordId() {
        return recordId;
    }

    public StsPolicy policy() {
        return policy;
    }

    /** The policy body as served; stored so that a restart re-parses exactly what was fetched. */
    public String policyText() {
        return verbatimText != null ? verbatimText : render(policy, crlf ? "\r\n" : "\n");
    }

    public Instant fetchedAt() {
        return Instant.ofEpochMilli(fetchedAt);
    }

    /** {@code fetchedAt + max_age} (RFC 8461 3.2); from then on the policy no longer applies. */
    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAt);
    }

    public Instant lastCheckedAt() {
        return Instant.ofEpochMilli(lastCheckedAt);
    }

    public Instant lastUsedAt() {
        return Instant.ofEpochMilli(lastUsedAt);
    }

    /** What went wrong in the last check or refresh, if it failed. */
    public Optional<String> lastFailure() {
        return lastFailure;
    }

    /** Checks and refreshes that failed in a row since the last success. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CachedPolicy)) {
            return false;
        }
        CachedPolicy that = (CachedPolicy) o;
        return consecutiveFailures == that.consecutiveFailures && domain.equals(that.domain)
            && recordId.equals(that.recordId) && policy.equals(that.policy) && policyText().equals(that.policyText())
            && fetchedAt == that.fetchedAt && expiresAt == that.expiresAt && lastCheckedAt == that.lastCheckedAt
            && lastUsedAt == that.lastUsedAt && lastFailure.equals(that.lastFailure) && fetchId == that.fetchId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, recordId, policy, fetchedAt, expiresAt, lastCheckedAt, lastUsedAt, lastFailure,
            consecutiveFailures);
    }

    @Override
    public String toString() {
        return "CachedPolicy{" + domain + " id=" + recordId + " mode=" + policy.mode().token() + " expires="
            + expiresAt() + " checked=" + lastCheckedAt() + lastFailure.map(f -> " failures=" + consecutiveFailures
            + " last=" + f).orElse("") + "}";
    }
}
