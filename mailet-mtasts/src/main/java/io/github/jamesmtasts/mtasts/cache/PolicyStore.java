package io.github.jamesmtasts.mtasts.cache;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The durable MTA-STS policy cache (RFC 8461 3.3: "senders ... MUST cache" and the cache must survive restarts),
 * shared by every node of a cluster when it lives in PostgreSQL. Implementations store the policy text and re-parse
 * it on load; a row that no longer parses is logged as an error and reported as absent, so the policy is fetched
 * again. Every method may throw {@code StoreException}, whose message names the database and what to fix.
 */
public interface PolicyStore {

    /** Every usable cached policy, for the warm cache at startup. */
    List<CachedPolicy> loadAll();

        Optional<CachedPolicy> load(DomainName domain);

    /**
     * A new fetch ({@link CachedPolicy#isNewFetch()}) replaces whatever is stored, a deletion included: the store
     * orders the writes, so the policy fetched last wins whatever the nodes' clocks say. Any other policy is a later
     * check, failure or use of a fetch, written only while the store still holds that fetch: a node with a stale copy
     * never overwrites a policy fetched since, nor brings back a deleted one.
     *
     * @return true when written; false when the store holds another fetch or a deletion (reload it)
     */
    boolean save(CachedPolicy policy);

    /** Moves the domain's last-use time forward to {@code when} (never backward: nodes share the row). */
    void markUsed(DomainName domain, Instant when);

    /**
     * Deletes the domain's policy on every node sharing the store: it is no longer loaded, and nodes that hold it in
     * memory drop it at their next check ({@link #isDeleted}) instead of writing it back.
     *
     * @return whether there was a policy
     */
    boolean delete(DomainName domain);

    /** Whether an operator deleted the domain's policy and no node fetched it since. */
    boolean isDeleted(DomainName domain);

    /**
     * Deletes the policies that expired before {@code now} and were last used before {@code unusedSince}: they no
     * longer protect anything and nobody mails the domain.
     *
     * @return the number of policies deleted
     */
    int evict(Instant now, Instant unusedSince);
}
