package io.github.jamesmtasts.mtasts.cache;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable MTA-STS policy cache (RFC 8461 3.3: "senders ... MUST cache" and the cache must survive restarts),
 * shared by every node of a cluster when it lives in PostgreSQL. Implementations store the policy text and re-parse
 * it on load; a row that no longer parses is logged as an error and reported as absent, so the policy is fetched
 * again. Every method may throw {@code StoreException}, whose message names the database and what to fix.
 */
public interface PolicyStore {

    /** Every usable cached policy, for the warm cache at startup. */
    List<CachedPolicy> loadAll();

    /** @param domain lower case, no trailing dot */
    Optional<CachedPolicy> load(String domain);

    /**
     * Inserts or replaces the domain's policy, unless the stored one was fetched later (another node refreshed it
     * meanwhile): a node with a stale copy never overwrites a newer policy.
     *
     * @return true when written; false when a newer stored policy was kept (reload it)
     */
    boolean save(CachedPolicy policy);

    /** Moves the domain's last-use time forward to {@code when} (never backward: nodes share the row). */
    void markUsed(String domain, Instant when);

    /** @return whether there was a row */
    boolean delete(String domain);

    /**
     * Deletes the policies that expired before {@code now} and were last used before {@code unusedSince}: they no
     * longer protect anything and nobody mails the domain.
     *
     * @return the number of policies deleted
     */
    int evict(Instant now, Instant unusedSince);
}
