package io.github.jamesmtasts.mtasts.resolve;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.cache.PolicyStore;
import io.github.jamesmtasts.mtasts.fetch.PolicyFetcher;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/**
 * The {@link PolicyResolver} of RFC 8461 3.3 and 5.1: a warm in-memory cache answers without I/O until the TXT id
 * is due for a check; otherwise one caller per domain (single flight) looks up the TXT record and fetches the policy
 * when the id changed or the cached policy expired, while concurrent callers wait for its answer. The durable
 * {@link PolicyStore} makes the cache survive restarts and lets cluster nodes share it.
 *
 * <p>Deliveries call {@link #resolveForDelivery}: a discovery then runs on the bounded discovery executor and the
 * delivery thread waits for it at most {@link ResolverSettings#policyWait()} from the discovery's start (design rule
 * H6), so slow policy hosts hold discovery threads, never delivery threads.
 */
public final class DefaultPolicyResolver implements PolicyResolver {

    private static final Logger LOGGER = LoggerFactory.getLogger(DefaultPolicyResolver.class);

    private final CacheLayers cache;
    private final PolicyCheck check;
    private final StalePolicyHealer healer;
    private final FetchBackoff backoff;
    private final SingleFlight<PolicyDecision> flights = new SingleFlight<>();
    private final ResolverListener listener;
    private final ResolverSettings settings;
    private final Clock clock;
    private final Executor discoveries;

    private DefaultPolicyResolver(RecordLookup lookup, PolicyFetcher fetcher, PolicyStore store, TlsRptRecorder recorder,
                                  ResolverListener listener, ResolverSettings settings, Clock clock,
                                  Executor discoveries) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.discoveries = Objects.requireNonNull(discoveries, "discoveries");
        this.cache = new CacheLayers(Objects.requireNonNull(store, "store"), listener);
        this.backoff = new FetchBackoff();
        FetchFailureReport failures = new FetchFailureReport(Objects.requireNonNull(recorder, "recorder"), listener);
        this.check = new PolicyCheck(Objects.requireNonNull(lookup, "lookup"), Objects.requireNonNull(fetcher, "fetcher"),
            cache, backoff, failures, listener, settings, clock);
        this.healer = new StalePolicyHealer(fetcher, cache, backoff, failures, listener, settings, clock);
    }

    /**
     * Builds the resolver and loads every stored policy into memory (RFC 8461 3.3: the cache survives restarts).
     *
     * @throws io.github.jamesmtasts.tlsrpt.store.StoreException when the store cannot be read at startup
     */
    public static DefaultPolicyResolver start(RecordLookup lookup, PolicyFetcher fetcher, PolicyStore store,
                                              TlsRptRecorder recorder, ResolverListener listener,
                                              ResolverSettings settings, Clock clock) {
        // Without a discovery executor the caller's thread discovers, as resolve() does.
        return start(lookup, fetcher, store, recorder, listener, settings, clock, Runnable::run);
    }

    /**
     * @param discoveries where {@link #resolveForDelivery} and {@link #recheckForDelivery} run discoveries: a bounded
     *     pool whose full queue refuses work ({@code RejectedExecutionException}); such a delivery is deferred
     */
    public static DefaultPolicyResolver start(RecordLookup lookup, PolicyFetcher fetcher, PolicyStore store,
                                              TlsRptRecorder recorder, ResolverListener listener,
                                              ResolverSettings settings, Clock clock, Executor discoveries) {
        DefaultPolicyResolver resolver = new DefaultPolicyResolver(lookup, fetcher, store, recorder, listener, settings,
            clock, discoveries);
        int loaded = resolver.cache.loadAll(clock.instant(), settings.minCheckInterval());
        LOGGER.info("MTA-STS policy cache: {} cached policies loaded", loaded);
        return resolver;
    }

    @Override
    public PolicyDecision resolve(String domain) {
        Optional<PolicyDecision> warm = warmDecision(domain);
        if (warm.isPresent()) {
            return warm.get();
        }
        Optional<DomainName> name = DomainName.of(domain);
        if (name.isEmpty()) {
            return noDomain(domain);
        }
        String d = name.get().asString();
        warm = d.equals(domain) ? Optional.empty() : warmDecision(d);
        return warm.orElseGet(() -> flights.run(d, false, () -> check.run(name.get(), PolicyCheck.Trigger.MISS)));
    }

    /**
     * The warm path of every lookup: a cached, unexpired decision between checks, without I/O or executor. The map's
     * keys are {@link DomainName} texts, so a domain that is one (James hands recipient domains in lower case, and
     * PolicyGate only DomainName texts: nearly every delivery) is found before any parsing.
     */
    private Optional<PolicyDecision> warmDecision(String d) {
        WarmCache.Entry entry = cache.warm().get(d);
        long now = clock.millis();
        if (entry == null || !entry.isWarm(now)) {
            return Optional.empty();
        }
        entry.touch(now);
        listener.cacheHit(d);
        return Optional.of(entry.decision());
    }

    @Override
    public PolicyDecision recheck(String domain) {
        return forced(domain, PolicyCheck.Trigger.RECHECK);
    }

    @Override
    public Discovery resolveForDelivery(String domain) {
        Optional<PolicyDecision> warm = warmDecision(domain);
        if (warm.isPresent()) {
            return Discovery.done(warm.get());
        }
        Optional<DomainName> name = DomainName.of(domain);
        if (name.isEmpty()) {
            return Discovery.done(noDomain(domain));
        }
        String d = name.get().asString();
        warm = d.equals(domain) ? Optional.empty() : warmDecision(d);
        return warm.isPresent() ? Discovery.done(warm.get())
            : awaitFlight(d, false, discovery(name.get(), PolicyCheck.Trigger.MISS));
    }

    @Override
    public Discovery recheckForDelivery(String domain) {
        Optional<DomainName> name = DomainName.of(domain);
        if (name.isEmpty()) {
            return Discovery.done(noDomain(domain));
        }
        return awaitFlight(name.get().asString(), true, discovery(name.get(), PolicyCheck.Trigger.RECHECK));
    }

    /**
     * Issue 11 (docs/mta-sts-cache.md, "Stale policies"): refetches the cached policy under its unchanged id when due
     * ({@link StalePolicyHealer}), in the domain's single flight and on the discovery pool (H6). Refusals within the
     * hour or during a fetch back-off are answered from memory without I/O, unless a flight of the domain is running.
     */
    @Override
    public Discovery healForDelivery(PolicyDecision refused) {
        Optional<DomainName> name = DomainName.of(refused.domain());
        if (name.isEmpty()) {
            // No domain name, no cached policy: nothing stale to heal.
            return Discovery.done(refused);
        }
        String d = name.get().asString();
        // A running flight may be another delivery's refetch (which made the refetch "not due"): join it. Asked
        // second, so that a refetch that started after mayBeDue is still seen running.
        if (!healer.mayBeDue(d, refused) && !flights.isRunning(d)) {
            return Discovery.done(refused);
        }
        return awaitFlight(d, true, logged(d, "refetch", () -> healer.heal(name.get(), refused)));
    }

    /** This node's history of stale-policy refetches of {@code domain}, for operators. */
    public Optional<PolicyHealing> healing(String domain) {
        return DomainName.of(domain).flatMap(name -> healer.history(name.asString()));
    }

    private Supplier<PolicyDecision> discovery(DomainName domain, PolicyCheck.Trigger trigger) {
        return logged(domain.asString(), "discovery", () -> check.run(domain, trigger));
    }

    private static Supplier<PolicyDecision> logged(String domain, String what, Supplier<PolicyDecision> computation) {
        return () -> {
            try {
                return computation.get();
            } catch (RuntimeException | Error e) {
                // Logged here: every delivery waiting for it may have given up already.
                LOGGER.error("MTA-STS policy {} of {} failed", what, domain, e);
                throw e;
            }
        };
    }

    /**
     * Waits for the domain's flight until {@code policyWait} after the flight started: however many mails wait for one
     * slow discovery, together they hold delivery threads for at most that long.
     */
    private Discovery awaitFlight(String domain, boolean forced, Supplier<PolicyDecision> computation) {
        // Bounded: a forced caller gives an ordinary flight that was already running one turn, then runs its own.
        for (int turn = 0; turn < 3; turn++) {
            long now = clock.millis();
            SingleFlight.Flight<PolicyDecision> flight = flights.submit(domain, forced, computation, discoveries, now);
            // A flight run on its caller's thread (refresher, operator) has no start time: wait from now.
            long started = flight.startedMillis == SingleFlight.UNKNOWN_START ? now : flight.startedMillis;
            long remaining = started + settings.policyWait().toMillis() - now;
            PolicyDecision decision;
            try {
                decision = flight.result.get(Math.max(0L, remaining), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return pending(domain, "policy discovery still running");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return pending(domain, "interrupted while waiting for the policy discovery");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RejectedExecutionException) {
                    LOGGER.warn("MTA-STS policy discovery of {} not started: all {} discovery threads are busy and {}"
                        + " discoveries are queued; deferring the delivery", domain, settings.discoveryThreads(),
                        settings.discoveryQueue());
                    listener.discoveryRefused(domain);
                    return pending(domain, "policy discovery pool full");
                }
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                if (e.getCause() instanceof Error) {
                    throw (Error) e.getCause();
                }
                throw new IllegalStateException(e.getCause());
            }
            if (!forced || flight.forced) {
                return Discovery.done(decision);
            }
        }
        return pending(domain, "policy re-check still waiting for an earlier discovery");
    }

    private Discovery pending(String domain, String reason) {
        listener.discoveryPending(domain);
        return Discovery.pending(domain, reason, settings.policyDeferral());
    }

    /**
     * RFC 8461 3.4: the policy domain is the recipient domain, parsed once per call (after the warm path); a name that
     * is none (an address literal, garbage) has no {@code _mta-sts} record, so no policy, and is never looked up.
     */
    private static PolicyDecision noDomain(String domain) {
        return PolicyDecision.noPolicy(domain);
    }

    /** A check that runs even when the cached policy is warm, in the domain's single flight on the caller's thread. */
    private PolicyDecision forced(String domain, PolicyCheck.Trigger trigger) {
        Optional<DomainName> name = DomainName.of(domain);
        if (name.isEmpty()) {
            return noDomain(domain);
        }
        return flights.run(name.get().asString(), true, () -> check.run(name.get(), trigger));
    }

    /**
     * For operators: looks up the TXT record and fetches the policy now, even when the id is unchanged or a back-off
     * is running. A failed fetch keeps the unexpired cached policy in force (and is recorded for TLS-RPT).
     */
    public PolicyDecision refetch(String domain) {
        return forced(domain, PolicyCheck.Trigger.OPERATOR);
    }

    /** RFC 8461 3.3: the refresher's check of one cached policy; re-fetches it once past half its lifetime. */
    PolicyDecision refresh(String domain) {
        return forced(domain, PolicyCheck.Trigger.PROACTIVE);
    }

    /** The domain's cached policy (expired or not), as held in memory; for operators. */
    public Optional<CachedPolicy> cached(String domain) {
        return DomainName.of(domain).map(name -> cache.warm().get(name.asString()))
            .flatMap(WarmCache.Entry::cached);
    }

    /** Every cached policy held in memory, expired ones included. */
    public List<CachedPolicy> cachedPolicies() {
        return cache.warm().policies();
    }

    /**
     * Forgets the domain's cached policy, in memory and in the store; the next delivery fetches it again. Other
     * nodes keep their in-memory copy until its next check.
     *
     * @return whether the store held a policy
     */
    public boolean forget(String domain) {
        Optional<DomainName> name = DomainName.of(domain);
        if (name.isEmpty()) {
            return false;
        }
        String d = name.get().asString();
        backoff.succeeded(d);
        healer.forget(d);
        return cache.forget(d);
    }

    /**
     * Saves last-use times and evicts policies that expired and were unused for
     * {@link ResolverSettings#evictUnusedAfter()}.
     *
     * @return how many policies were evicted from memory
     */
    public int maintain() {
        Instant now = clock.instant();
        backoff.expire(now);
        int evicted = cache.maintain(now, now.minus(settings.evictUnusedAfter()));
        healer.maintain();
        return evicted;
    }

    ResolverSettings settings() {
        return settings;
    }
}
