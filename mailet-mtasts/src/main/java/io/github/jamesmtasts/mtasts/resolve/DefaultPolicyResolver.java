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
    public PolicyDecision resolve(DomainName domain) {
        Optional<PolicyDecision> warm = warmDecision(domain);
        return warm.orElseGet(() -> flights.run(domain.asString(), false,
            () -> check.run(domain, PolicyCheck.Trigger.MISS)));
    }

    /** The warm path of every lookup: a cached, unexpired decision between checks, without I/O or executor. */
    private Optional<PolicyDecision> warmDecision(DomainName domain) {
        WarmCache.Entry entry = cache.warm().get(domain);
        long now = clock.millis();
        if (entry == null || !entry.isWarm(now)) {
            return Optional.empty();
        }
        entry.touch(now);
        listener.cacheHit(domain.asString());
        return Optional.of(entry.decision());
    }

    @Override
    public PolicyDecision recheck(DomainName domain) {
        return forced(domain, PolicyCheck.Trigger.RECHECK);
    }

    @Override
    public Discovery resolveForDelivery(DomainName domain) {
        Optional<PolicyDecision> warm = warmDecision(domain);
        return warm.isPresent() ? Discovery.done(warm.get())
            : awaitFlight(domain, false, discovery(domain, PolicyCheck.Trigger.MISS));
    }

    @Override
    public Discovery recheckForDelivery(DomainName domain) {
        return awaitFlight(domain, true, discovery(domain, PolicyCheck.Trigger.RECHECK));
    }

    /**
     * Issue 11 (docs/mta-sts-cache.md, "Stale policies"): refetches the cached policy under its unchanged id when due
     * ({@link StalePolicyHealer}), in the domain's single flight and on the discovery pool (H6). Refusals within the
     * hour or during a fetch back-off are answered from memory without I/O, unless a flight of the domain is running.
     */
    @Override
    public Discovery healForDelivery(PolicyDecision refused) {
        DomainName domain = refused.domain();
        String d = domain.asString();
        // A running flight may be another delivery's refetch (which made the refetch "not due"): join it. Asked
        // second, so that a refetch that started after mayBeDue is still seen running.
        if (!healer.mayBeDue(refused) && !flights.isRunning(d)) {
            return Discovery.done(refused);
        }
        return awaitFlight(domain, true, logged(d, "refetch", () -> healer.heal(domain, refused)));
    }

    /** This node's history of stale-policy refetches of {@code domain}, for operators. */
    public Optional<PolicyHealing> healing(DomainName domain) {
        return healer.history(domain);
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
    private Discovery awaitFlight(DomainName domain, boolean forced, Supplier<PolicyDecision> computation) {
        // Bounded: a forced caller gives an ordinary flight that was already running one turn, then runs its own.
        for (int turn = 0; turn < 3; turn++) {
            long now = clock.millis();
            SingleFlight.Flight<PolicyDecision> flight = flights.submit(domain.asString(), forced, computation, discoveries, now);
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
                    listener.discoveryRefused(domain.asString());
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

    private Discovery pending(DomainName domain, String reason) {
        listener.discoveryPending(domain.asString());
        return Discovery.pending(domain, reason, settings.policyDeferral());
    }

    /** A check that runs even when the cached policy is warm, in the domain's single flight on the caller's thread. */
    private PolicyDecision forced(DomainName domain, PolicyCheck.Trigger trigger) {
        return flights.run(domain.asString(), true, () -> check.run(domain, trigger));
    }

    /**
     * For operators: looks up the TXT record and fetches the policy now, even when the id is unchanged or a back-off
     * is running. A failed fetch keeps the unexpired cached policy in force (and is recorded for TLS-RPT).
     */
    public PolicyDecision refetch(DomainName domain) {
        return forced(domain, PolicyCheck.Trigger.OPERATOR);
    }

    /** RFC 8461 3.3: the refresher's check of one cached policy; re-fetches it once past half its lifetime. */
    PolicyDecision refresh(DomainName domain) {
        return forced(domain, PolicyCheck.Trigger.PROACTIVE);
    }

    /** The domain's cached policy (expired or not), as held in memory; for operators. */
    public Optional<CachedPolicy> cached(DomainName domain) {
        return Optional.ofNullable(cache.warm().get(domain)).flatMap(WarmCache.Entry::cached);
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
    public boolean forget(DomainName domain) {
        backoff.succeeded(domain.asString());
        healer.forget(domain);
        return cache.forget(domain);
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
