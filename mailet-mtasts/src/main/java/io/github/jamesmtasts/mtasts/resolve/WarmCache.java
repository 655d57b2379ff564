package io.github.jamesmtasts.mtasts.resolve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The in-memory layer in front of the {@code PolicyStore}: per domain, the decision to answer until the next TXT
 * check is due, built once so that a warm {@code resolve} does no I/O and allocates nothing. Entries without a
 * cached policy remember a recent "no policy" answer (negative caching) until their next check.
 */
final class WarmCache {

    /** Last-use times are kept to the minute: enough for eviction, and most hits then write nothing. */
    private static final long USE_GRANULARITY_MILLIS = 60_000L;
    static final int NEGATIVE_SWEEP_EVERY = 4096;

    static final class Entry {
        private final CachedPolicy cached;
        private final PolicyDecision decision;
        private final long warmUntilMillis;
        private volatile long lastUsedMillis;
        private volatile long savedUseMillis;

        private Entry(CachedPolicy cached, PolicyDecision decision, long warmUntilMillis, long lastUsedMillis) {
            this.cached = cached;
            this.decision = decision;
            this.warmUntilMillis = warmUntilMillis;
            this.lastUsedMillis = lastUsedMillis;
            this.savedUseMillis = cached == null ? lastUsedMillis : cached.lastUsedAt().toEpochMilli();
        }

        boolean isWarm(long nowMillis) {
            return nowMillis < warmUntilMillis;
        }

        void touch(long nowMillis) {
            if (nowMillis - lastUsedMillis >= USE_GRANULARITY_MILLIS) {
                lastUsedMillis = nowMillis;
            }
        }

        PolicyDecision decision() {
            return decision;
        }

        /** The cached policy, expired or not; empty for a negative entry. */
        Optional<CachedPolicy> cached() {
            return Optional.ofNullable(cached);
        }
    }

    private final ConcurrentHashMap<DomainName, Entry> entries = new ConcurrentHashMap<>();
    private final PolicyInterner interner = new PolicyInterner();
    private final AtomicInteger negativePuts = new AtomicInteger();

    Entry get(DomainName domain) {
        return entries.get(domain);
    }

    /**
     * Answers from {@code cached} until {@code checkDue}, or until the policy expires if that comes first.
     *
     * @return the decision now in force for the domain
     */
    PolicyDecision putPolicy(CachedPolicy given, Instant now, Instant checkDue) {
        Entry previous = entries.get(given.domain());
        CachedPolicy cached = previous != null && previous.cached != null && previous.cached.policy() == given.policy()
            ? given : given.sharing(interner.share(given.policy()));
        boolean valid = !cached.isExpired(now);
        PolicyDecision decision = valid
            ? PolicyDecision.policy(cached.domain(), cached.recordId(), cached.policy())
            : PolicyDecision.noPolicy(cached.domain());
        long until = valid ? Math.min(checkDue.toEpochMilli(), cached.expiresAt().toEpochMilli()) : checkDue.toEpochMilli();
        long used = Math.max(cached.lastUsedAt().toEpochMilli(), lastUsed(cached.domain()));
        entries.put(cached.domain(), new Entry(cached, decision, until, used));
        return decision;
    }

    /**
     * Remembers "no policy" until {@code checkDue}, keeping an expired cached policy (if any) for its record id and
     * failure count.
     */
    PolicyDecision putNoPolicy(DomainName domain, Optional<CachedPolicy> expired, Instant now, Instant checkDue) {
        if (negativePuts.incrementAndGet() % NEGATIVE_SWEEP_EVERY == 0) {
            // Most domains publish no policy: without this sweep their entries would pile up until the daily
            // maintenance. Amortized, it costs one map scan per NEGATIVE_SWEEP_EVERY new negative entries.
            long nowMillis = now.toEpochMilli();
            entries.values().removeIf(entry -> entry.cached == null && !entry.isWarm(nowMillis));
        }
        PolicyDecision decision = PolicyDecision.noPolicy(domain);
        entries.put(domain, new Entry(expired.orElse(null), decision, checkDue.toEpochMilli(),
            Math.max(now.toEpochMilli(), lastUsed(domain))));
        return decision;
    }

    private long lastUsed(DomainName domain) {
        Entry previous = entries.get(domain);
        return previous == null ? 0L : previous.lastUsedMillis;
    }

    /** Hands every last-use time not yet in the store to {@code save}; marks it saved when {@code save} returns. */
    void saveUses(BiConsumer<DomainName, Instant> save) {
        entries.forEach((domain, entry) -> {
            long used = entry.lastUsedMillis;
            if (entry.cached != null && used > entry.savedUseMillis) {
                save.accept(domain, Instant.ofEpochMilli(used));
                entry.savedUseMillis = used;
            }
        });
    }

    void remove(DomainName domain) {
        entries.remove(domain);
    }

    /** Every cached policy held in memory (expired ones included), with its in-memory last-use time applied. */
    List<CachedPolicy> policies() {
        List<CachedPolicy> policies = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (entry.cached != null) {
                policies.add(entry.cached.usedAt(Instant.ofEpochMilli(entry.lastUsedMillis)));
            }
        }
        return policies;
    }

    /**
     * Drops negative entries whose check is due, and policies that expired and were unused since {@code unusedSince}.
     *
     * @return how many policies (not negative entries) were dropped
     */
    int evict(Instant now, Instant unusedSince) {
        long nowMillis = now.toEpochMilli();
        long unusedMillis = unusedSince.toEpochMilli();
        int[] evicted = {0};
        entries.values().removeIf(entry -> {
            if (entry.cached == null) {
                return !entry.isWarm(nowMillis);
            }
            boolean drop = entry.cached.isExpired(now) && entry.lastUsedMillis < unusedMillis;
            if (drop) {
                evicted[0]++;
            }
            return drop;
        });
        return evicted[0];
    }

    int size() {
        return entries.size();
    }
}
