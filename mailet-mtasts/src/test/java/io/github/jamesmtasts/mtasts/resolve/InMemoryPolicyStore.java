package io.github.jamesmtasts.mtasts.resolve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.cache.PolicyStore;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** A {@link PolicyStore} in memory with the same write rules as the JDBC store; counts every access. */
public final class InMemoryPolicyStore implements PolicyStore {

    private final Map<DomainName, CachedPolicy> rows = new ConcurrentHashMap<>();
    private final Set<DomainName> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accesses = new AtomicInteger();

    @Override
    public List<CachedPolicy> loadAll() {
        accesses.incrementAndGet();
        return new ArrayList<>(rows.values());
    }

    @Override
    public Optional<CachedPolicy> load(DomainName domain) {
        accesses.incrementAndGet();
        return Optional.ofNullable(rows.get(domain));
    }

    @Override
    public synchronized boolean save(CachedPolicy policy) {
        accesses.incrementAndGet();
        CachedPolicy stored = rows.get(policy.domain());
        if (policy.isNewFetch()) {
            deleted.remove(policy.domain());
        } else if (stored == null || !stored.sameFetchAs(policy)) {
            return false;
        }
        rows.put(policy.domain(), stored == null ? policy : policy.usedAt(stored.lastUsedAt()));
        return true;
    }

    @Override
    public synchronized void markUsed(DomainName domain, Instant when) {
        accesses.incrementAndGet();
        rows.computeIfPresent(domain, (d, stored) -> stored.usedAt(when));
    }

    @Override
    public synchronized boolean delete(DomainName domain) {
        accesses.incrementAndGet();
        boolean had = rows.remove(domain) != null;
        if (had) {
            deleted.add(domain);
        }
        return had;
    }

    @Override
    public boolean isDeleted(DomainName domain) {
        accesses.incrementAndGet();
        return deleted.contains(domain);
    }

    @Override
    public synchronized int evict(Instant now, Instant unusedSince) {
        accesses.incrementAndGet();
        int before = rows.size();
        rows.values().removeIf(p -> p.isExpired(now) && p.lastUsedAt().isBefore(unusedSince));
        return before - rows.size();
    }

    /** Reads and writes so far: a warm resolve must not add any. */
    public int accesses() {
        return accesses.get();
    }

    public Optional<CachedPolicy> row(DomainName domain) {
        return Optional.ofNullable(rows.get(domain));
    }
}
