package io.github.jamesmtasts.mtasts.resolve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.fetch.PolicyFetcher;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Heals a stale cached policy (docs/mta-sts-cache.md, "Stale policies"). The most common real-world breakage: a
 * domain moves its MX and edits its policy file but does not change the TXT {@code id} (RFC 8461 3.1 asks it to), so
 * senders keep the cached policy for up to {@code max_age} and defer the domain's mail for days. When every MX host
 * of a delivery was refused under the cached policy, this refetches the policy although the id is unchanged, and puts
 * a changed policy in force at once.
 *
 * <p>Limits: at most one refetch per domain and {@link #REFETCH_INTERVAL} (counted from the later of the cached
 * policy's fetch, on any node sharing the store, and this node's last refetch), never while the back-off of a failed
 * fetch of the same id runs (RFC 8461 3.3), and never fail open: a failed refetch keeps the cached policy in force
 * (RFC 8461 3.3) and the mail stays deferred. Runs inside the domain's single flight, like {@link PolicyCheck}.
 */
final class StalePolicyHealer {

    /** At most one refetch per domain per hour: a domain that really refuses mail costs one HTTPS GET an hour. */
    static final Duration REFETCH_INTERVAL = Duration.ofHours(1);
    /**
     * Domains whose refetch history is kept (for the hourly limit and the WebAdmin view). A full table first drops
     * histories older than {@link #REFETCH_INTERVAL}; if it is still full, no refetch happens (mail stays deferred,
     * as without healing) until the daily maintenance drops the histories of domains no longer cached.
     */
    static final int MAX_HISTORIES = 100_000;

    private static final Logger LOGGER = LoggerFactory.getLogger(StalePolicyHealer.class);

    private final PolicyFetcher fetcher;
    private final CacheLayers cache;
    private final FetchBackoff backoff;
    private final FetchFailureReport failures;
    private final ResolverListener listener;
    private final ResolverSettings settings;
    private final Clock clock;
    private final Map<DomainName, PolicyHealing> histories = new ConcurrentHashMap<>();

    StalePolicyHealer(PolicyFetcher fetcher, CacheLayers cache, FetchBackoff backoff, FetchFailureReport failures,
                      ResolverListener listener, ResolverSettings settings, Clock clock) {
        this.fetcher = fetcher;
        this.cache = cache;
        this.backoff = backoff;
        this.failures = failures;
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Whether a refetch may be due, from memory only (no I/O): the delivery glue asks this before it hands the
     * refetch to the discovery pool, so that refusals within the hour cost nothing.
     */
    boolean mayBeDue(PolicyDecision refused) {
        DomainName domain = refused.domain();
        if (refused.kind() != PolicyDecision.Kind.POLICY || refused.policyId().isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        WarmCache.Entry entry = cache.warm().get(domain);
        Optional<CachedPolicy> cached = entry == null ? Optional.empty() : entry.cached();
        if (cached.isEmpty() || !isRefused(cached.get(), refused)) {
            // Replaced meanwhile (or never cached, max_age 0): the flight answers with the policy now in force.
            return true;
        }
        return !now.isBefore(dueAt(domain, cached.get())) && !backoff.isBackingOff(domain.asString(), refused.policyId().get(),
            now);
    }

    /**
     * Runs in the domain's single flight.
     *
     * @param refused the decision under which every MX host of a delivery was refused
     * @return the decision to deliver with now: a different one than {@code refused} when the refetch (or another
     *     check meanwhile) put another policy in force; {@code refused} itself when nothing changed, no refetch is
     *     due, or the refetch failed
     */
    PolicyDecision heal(DomainName name, PolicyDecision refused) {
        String domain = name.asString();
        Instant now = clock.instant();
        WarmCache.Entry entry = cache.warm().get(name);
        Optional<CachedPolicy> valid = cache.latest(name, entry).filter(c -> !c.isExpired(now));
        if (valid.isEmpty()) {
            // Nothing valid cached: the next delivery discovers the policy anyway; there is nothing stale to heal.
            return refused;
        }
        CachedPolicy current = valid.get();
        if (!isRefused(current, refused)) {
            // A new id, a refresh or another node replaced the refused policy since: deliver with that one.
            return cache.warm().putPolicy(current, now, current.lastCheckedAt().plus(settings.minCheckInterval()));
        }
        Instant due = dueAt(name, current);
        if (now.isBefore(due)) {
            LOGGER.debug("MTA-STS: every MX of {} refused under policy id {}; next refetch not before {}", domain,
                current.recordId(), due);
            return refused;
        }
        if (backoff.isBackingOff(domain, current.recordId(), now)) {
            // RFC 8461 3.3: a failed fetch of this id is less than five minutes old.
            LOGGER.debug("MTA-STS: every MX of {} refused; the policy fetch of id {} is backing off", domain,
                current.recordId());
            return refused;
        }
        if (!makeRoom(name, now)) {
            LOGGER.warn("MTA-STS: every MX of {} refused under policy id {}, but {} domains already have a refetch "
                + "history; not refetching now", domain, current.recordId(), MAX_HISTORIES);
            return refused;
        }
        LOGGER.info("MTA-STS: every MX of {} was refused under its cached enforce policy (id {}, mx {}); refetching "
            + "the policy in case it changed without a new TXT id", domain, current.recordId(), current.policy().mx());
        // Remembered before fetching: even a fetch that throws counts against the hourly limit.
        remember(name, now, PolicyHealing.Outcome.FAILED);
        FetchOutcome fetched = fetcher.fetch(name);
        if (!fetched.isSuccess()) {
            backoff.failed(domain, current.recordId(), now);
            failures.report(domain, current.recordId(), fetched, valid);
            String failure = fetched.failureType().get().token() + ": " + fetched.failureMessage().orElse("");
            // RFC 8461 3.3: the cached policy stays in force; the TXT id was not read, so its check stays as due.
            cache.put(current.failed(now, failure, false), now, current.lastCheckedAt().plus(settings.minCheckInterval()));
            listener.staleRefetch(domain, PolicyHealing.Outcome.FAILED);
            return refused;
        }
        backoff.succeeded(domain);
        StsPolicy policy = fetched.policy().get();
        listener.policyFetched(domain, policy.mode());
        boolean changed = !policy.equals(current.policy());
        PolicyHealing.Outcome outcome = changed ? PolicyHealing.Outcome.CHANGED : PolicyHealing.Outcome.UNCHANGED;
        histories.computeIfPresent(name, (d, provisional) -> provisional.settled(outcome));
        listener.staleRefetch(domain, outcome);
        if (changed) {
            LOGGER.warn("MTA-STS policy of {} healed: its policy file changed under the unchanged TXT id {} (mode {} -> "
                + "{}, mx {} -> {}); the new policy applies at once. The domain should change the id of "
                + "_mta-sts.{} with every policy change (RFC 8461 3.1)", domain, current.recordId(),
                current.policy().mode().token(), policy.mode().token(), current.policy().mx(), policy.mx(), domain);
        } else {
            LOGGER.info("MTA-STS policy of {} refetched: unchanged (id {}); its MX hosts are refused for another reason",
                domain, current.recordId());
        }
        if (policy.maxAge().isZero()) {
            return cache.applyUncached(name, current.recordId(), policy, valid);
        }
        // An authenticated fetch like any other (RFC 8461 3.3): the policy's max_age runs from now, on every node.
        return cache.put(CachedPolicy.fetched(name, current.recordId(), policy, fetched.policyText().get(), now), now,
            now.plus(settings.minCheckInterval()));
    }

    /** This node's refetch history of {@code domain}, for operators. */
    Optional<PolicyHealing> history(DomainName domain) {
        return Optional.ofNullable(histories.get(domain));
    }

    /** Drops the histories of domains no longer cached in memory (daily maintenance, {@code forget}). */
    void maintain() {
        histories.keySet().removeIf(domain -> cache.warm().get(domain) == null);
    }

    void forget(DomainName domain) {
        histories.remove(domain);
    }

    private static boolean isRefused(CachedPolicy cached, PolicyDecision refused) {
        return refused.policyId().equals(Optional.of(cached.recordId()))
            && refused.policy().equals(Optional.of(cached.policy()));
    }

    /** One refetch per {@link #REFETCH_INTERVAL}, counted from the last fetch on any node or refetch on this one. */
    private Instant dueAt(DomainName domain, CachedPolicy cached) {
        Instant last = cached.fetchedAt();
        PolicyHealing history = histories.get(domain);
        if (history != null && history.lastRefetchAt().isAfter(last)) {
            last = history.lastRefetchAt();
        }
        return last.plus(REFETCH_INTERVAL);
    }

    /** @return false when the history table is full even after dropping histories older than the interval */
    private boolean makeRoom(DomainName domain, Instant now) {
        if (histories.containsKey(domain) || histories.size() < MAX_HISTORIES) {
            return true;
        }
        Instant stale = now.minus(REFETCH_INTERVAL);
        histories.values().removeIf(h -> h.lastRefetchAt().isBefore(stale));
        return histories.size() < MAX_HISTORIES;
    }

    private void remember(DomainName domain, Instant now, PolicyHealing.Outcome outcome) {
        histories.merge(domain, PolicyHealing.first(now, outcome), (old, ignored) -> old.then(now, outcome));
    }
}
