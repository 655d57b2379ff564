package io.github.jamesmtasts.mtasts.resolve;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.cache.PolicyStore;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The warm in-memory layer and the durable {@link PolicyStore} kept in step. A store failure never fails a
 * delivery: it is logged, reported to the listener, and the resolver goes on from memory.
 */
final class CacheLayers {

    private static final Logger LOGGER = LoggerFactory.getLogger(CacheLayers.class);

    private final WarmCache warm = new WarmCache();
    private final PolicyStore store;
    private final ResolverListener listener;

    CacheLayers(PolicyStore store, ResolverListener listener) {
        this.store = store;
        this.listener = listener;
    }

    WarmCache warm() {
        return warm;
    }

    /**
     * Loads every stored policy into memory (RFC 8461 3.3: the cache survives restarts). Until its next check is due
     * (last check + {@code checkInterval}) a loaded policy answers without I/O.
     *
     * @return how many policies were loaded
     */
    int loadAll(Instant now, java.time.Duration checkInterval) {
        List<CachedPolicy> policies = store.loadAll();
        for (CachedPolicy policy : policies) {
            warm.putPolicy(policy, now, policy.lastCheckedAt().plus(checkInterval));
        }
        return policies.size();
    }

    /**
     * The later of the in-memory and the stored policy of {@code domain}; empty, and forgotten in memory, when an
     * operator deleted it on any node sharing the store.
     */
    Optional<CachedPolicy> latest(DomainName domain, WarmCache.Entry entry) {
        Optional<CachedPolicy> memory = entry == null ? Optional.empty() : entry.cached();
        Optional<CachedPolicy> stored = load(domain);
        if (stored.isEmpty()) {
            if (memory.isPresent() && isDeleted(domain)) {
                LOGGER.info("MTA-STS policy cache: the policy of {} (id {}) was deleted by an operator; dropping this"
                    + " node's copy and discovering the policy again", domain, memory.get().recordId());
                warm.remove(domain);
                return Optional.empty();
            }
            return memory;
        }
        if (memory.isEmpty() || isLater(stored.get(), memory.get())) {
            Instant used = memory.map(CachedPolicy::lastUsedAt).orElse(stored.get().lastUsedAt());
            return Optional.of(stored.get().usedAt(used));
        }
        return memory;
    }

    /**
     * Whether stored {@code a} should replace {@code b}: the store holds the fetch saved last (in the database's
     * order, not by any node's clock), so another fetch there is the later one; of one fetch, the later check wins.
     */
    private static boolean isLater(CachedPolicy a, CachedPolicy b) {
        return !a.sameFetchAs(b) || a.lastCheckedAt().isAfter(b.lastCheckedAt());
    }

    /** Saves {@code policy} and answers from it until {@code checkDue}; adopts a newer stored policy if there is one. */
    PolicyDecision put(CachedPolicy policy, Instant now, Instant checkDue) {
        CachedPolicy effective = policy;
        if (!save(policy)) {
            effective = load(policy.domain()).filter(stored -> isLater(stored, policy)).orElse(policy);
        }
        return warm.putPolicy(effective, now, checkDue);
    }

    /** @return false only when the store kept a policy fetched later than {@code policy} */
    boolean save(CachedPolicy policy) {
        try {
            return store.save(policy);
        } catch (RuntimeException e) {
            storeError(policy.domain().asString(), "save", e);
            return true;
        }
    }

    private boolean isDeleted(DomainName domain) {
        try {
            return store.isDeleted(domain);
        } catch (RuntimeException e) {
            storeError(domain.asString(), "read", e);
            return false;
        }
    }

    private Optional<CachedPolicy> load(DomainName domain) {
        try {
            return store.load(domain);
        } catch (RuntimeException e) {
            storeError(domain.asString(), "read", e);
            return Optional.empty();
        }
    }

    /**
     * RFC 8461 3.2 {@code max_age: 0}: the policy just fetched applies to the delivery that fetched it (and its
     * sessions are reported under it, as {@code sts}) but is cached nowhere. A policy cached earlier is forgotten on
     * every node sharing the store: the domain's newest policy says that none is to be kept.
     *
     * @param cached the domain's cached policy, if any, expired or not
     */
    PolicyDecision applyUncached(DomainName domain, String recordId, StsPolicy policy, Optional<CachedPolicy> cached) {
        if (cached.isPresent()) {
            LOGGER.info("MTA-STS policy of {} now has max_age 0: forgetting the cached policy (id {})", domain,
                cached.get().recordId());
            warm.remove(domain);
            try {
                store.delete(domain);
            } catch (RuntimeException e) {
                storeError(domain.asString(), "delete", e);
            }
        }
        return PolicyDecision.policy(domain, recordId, policy);
    }

    /** Forgets the domain's policy in memory and in the store. @return whether the store had one */
    boolean forget(DomainName domain) {
        warm.remove(domain);
        return store.delete(domain);
    }

    /**
     * Writes last-use times that moved on in memory, then evicts expired policies unused since {@code unusedSince}.
     *
     * @return how many policies were evicted from memory
     */
    int maintain(Instant now, Instant unusedSince) {
        try {
            warm.saveUses(store::markUsed);
        } catch (RuntimeException e) {
            storeError("(all domains)", "update the last use of", e);
        }
        int evicted = warm.evict(now, unusedSince);
        try {
            store.evict(now, unusedSince);
        } catch (RuntimeException e) {
            storeError("(all domains)", "evict unused policies from", e);
        }
        return evicted;
    }

    private void storeError(String domain, String action, RuntimeException e) {
        LOGGER.error("MTA-STS policy cache: could not {} the stored policy of {}; going on from memory: {}", action,
            domain, e.getMessage(), e);
        listener.storeError(domain, e);
    }
}
