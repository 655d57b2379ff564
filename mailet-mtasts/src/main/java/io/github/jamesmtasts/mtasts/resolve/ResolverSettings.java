package io.github.jamesmtasts.mtasts.resolve;

import java.time.Duration;
import java.util.Objects;

/** Tunables of {@link DefaultPolicyResolver} and {@link PolicyRefresher}; {@link #defaults()} suits production. */
public final class ResolverSettings {

    /**
     * SPEC: the TXT id of a cached policy is checked again after max(record TTL, this), so a warm cache does no
     * DNS at all between checks. One minute: a domain that publishes a new id (RFC 8461 3.1) is seen within a minute
     * or its record's TTL, at the cost of at most one TXT lookup per domain and minute (answered by the DNS cache).
     */
    public static final Duration DEFAULT_MIN_CHECK_INTERVAL = Duration.ofMinutes(1);
    /** A TXT TTL longer than a day does not delay the check further: the refresher runs daily anyway. */
    public static final Duration MAX_CHECK_INTERVAL = Duration.ofDays(1);
    /** SPEC: a policy expired and unused for this long is deleted; policies not yet expired are never deleted. */
    public static final Duration DEFAULT_EVICT_UNUSED_AFTER = Duration.ofDays(30);
    /** RFC 8461 3.3: alert on repeated refresh failures; this many in a row raise an alert. */
    public static final int DEFAULT_ALERT_AFTER_FAILURES = 3;
    /**
     * H6: how long a delivery thread waits for a policy discovery (TXT lookup and HTTPS fetch) before it defers the
     * mail; long enough for a policy host that answers promptly, short against the fetch timeout (up to 60 s).
     */
    public static final Duration DEFAULT_POLICY_WAIT = Duration.ofSeconds(3);
    public static final Duration MAX_POLICY_WAIT = Duration.ofSeconds(60);
    /** H6: a mail whose policy discovery is still running comes back after this delay. */
    public static final Duration DEFAULT_POLICY_DEFERRAL = Duration.ofSeconds(10);
    public static final Duration MIN_POLICY_DEFERRAL = Duration.ofSeconds(1);
    public static final Duration MAX_POLICY_DEFERRAL = Duration.ofHours(1);
    /** H6: discovery threads; each one is mostly waiting on a remote DNS or HTTPS server. */
    public static final int DEFAULT_DISCOVERY_THREADS = 64;
    public static final int MAX_DISCOVERY_THREADS = 1024;
    /** H6: discoveries waiting for a thread; beyond that a delivery is deferred without queueing one. */
    public static final int DEFAULT_DISCOVERY_QUEUE = 1000;
    public static final int MAX_DISCOVERY_QUEUE = 100_000;

    private final Duration minCheckInterval;
    private final Duration evictUnusedAfter;
    private final int alertAfterFailures;
    private final Duration policyWait;
    private final Duration policyDeferral;
    private final int discoveryThreads;
    private final int discoveryQueue;

    private ResolverSettings(Duration minCheckInterval, Duration evictUnusedAfter, int alertAfterFailures,
                             Duration policyWait, Duration policyDeferral, int discoveryThreads, int discoveryQueue) {
        if (minCheckInterval.isNegative() || minCheckInterval.isZero() || minCheckInterval.compareTo(MAX_CHECK_INTERVAL) > 0) {
            throw new IllegalArgumentException("the minimum TXT check interval must be between 1 ms and 1 day, was "
                + minCheckInterval);
        }
        if (evictUnusedAfter.isNegative() || evictUnusedAfter.isZero()) {
            throw new IllegalArgumentException("the eviction delay must be positive, was " + evictUnusedAfter);
        }
        if (alertAfterFailures < 1) {
            throw new IllegalArgumentException("the alert threshold must be at least 1, was " + alertAfterFailures);
        }
        if (policyWait.isNegative() || policyWait.compareTo(MAX_POLICY_WAIT) > 0) {
            throw new IllegalArgumentException("the policy wait must be between 0 and " + MAX_POLICY_WAIT + ", was "
                + policyWait);
        }
        if (policyDeferral.compareTo(MIN_POLICY_DEFERRAL) < 0 || policyDeferral.compareTo(MAX_POLICY_DEFERRAL) > 0) {
            throw new IllegalArgumentException("the policy deferral must be between " + MIN_POLICY_DEFERRAL + " and "
                + MAX_POLICY_DEFERRAL + ", was " + policyDeferral);
        }
        if (discoveryThreads < 1 || discoveryThreads > MAX_DISCOVERY_THREADS) {
            throw new IllegalArgumentException("the discovery threads must be from 1 to " + MAX_DISCOVERY_THREADS
                + ", was " + discoveryThreads);
        }
        if (discoveryQueue < 1 || discoveryQueue > MAX_DISCOVERY_QUEUE) {
            throw new IllegalArgumentException("the discovery queue must hold from 1 to " + MAX_DISCOVERY_QUEUE
                + ", was " + discoveryQueue);
        }
        this.minCheckInterval = minCheckInterval;
        this.evictUnusedAfter = evictUnusedAfter;
        this.alertAfterFailures = alertAfterFailures;
        this.policyWait = policyWait;
        this.policyDeferral = policyDeferral;
        this.discoveryThreads = discoveryThreads;
        this.discoveryQueue = discoveryQueue;
    }

    public static ResolverSettings defaults() {
        return new ResolverSettings(DEFAULT_MIN_CHECK_INTERVAL, DEFAULT_EVICT_UNUSED_AFTER, DEFAULT_ALERT_AFTER_FAILURES,
            DEFAULT_POLICY_WAIT, DEFAULT_POLICY_DEFERRAL, DEFAULT_DISCOVERY_THREADS, DEFAULT_DISCOVERY_QUEUE);
    }

    public ResolverSettings withMinCheckInterval(Duration value) {
        return new ResolverSettings(Objects.requireNonNull(value), evictUnusedAfter, alertAfterFailures, policyWait,
            policyDeferral, discoveryThreads, discoveryQueue);
    }

    public ResolverSettings withEvictUnusedAfter(Duration value) {
        return new ResolverSettings(minCheckInterval, Objects.requireNonNull(value), alertAfterFailures, policyWait,
            policyDeferral, discoveryThreads, discoveryQueue);
    }

    public ResolverSettings withAlertAfterFailures(int value) {
        return new ResolverSettings(minCheckInterval, evictUnusedAfter, value, policyWait, policyDeferral,
            discoveryThreads, discoveryQueue);
    }

    public ResolverSettings withPolicyWait(Duration value) {
        return new ResolverSettings(minCheckInterval, evictUnusedAfter, alertAfterFailures, Objects.requireNonNull(value),
            policyDeferral, discoveryThreads, discoveryQueue);
    }

    public ResolverSettings withPolicyDeferral(Duration value) {
        return new ResolverSettings(minCheckInterval, evictUnusedAfter, alertAfterFailures, policyWait,
            Objects.requireNonNull(value), discoveryThreads, discoveryQueue);
    }

    public ResolverSettings withDiscoveryThreads(int value) {
        return new ResolverSettings(minCheckInterval, evictUnusedAfter, alertAfterFailures, policyWait, policyDeferral,
            value, discoveryQueue);
    }

    public ResolverSettings withDiscoveryQueue(int value) {
        return new ResolverSettings(minCheckInterval, evictUnusedAfter, alertAfterFailures, policyWait, policyDeferral,
            discoveryThreads, value);
    }

    public Duration minCheckInterval() {
        return minCheckInterval;
    }

    public Duration evictUnusedAfter() {
        return evictUnusedAfter;
    }

    public int alertAfterFailures() {
        return alertAfterFailures;
    }

    /** H6: the longest a delivery waits for one policy discovery, counted from the discovery's start. */
    public Duration policyWait() {
        return policyWait;
    }

    /** H6: how long a mail waits before asking again when its policy discovery is still running. */
    public Duration policyDeferral() {
        return policyDeferral;
    }

    /** H6: threads of the discovery pool. */
    public int discoveryThreads() {
        return discoveryThreads;
    }

    /** H6: discoveries that may wait for a thread of the pool. */
    public int discoveryQueue() {
        return discoveryQueue;
    }

    /** RFC 8461 3.3 / SPEC: check again after the record's TTL, at least the minimum, at most a day. */
    Duration checkInterval(Duration ttl) {
        if (ttl.compareTo(minCheckInterval) < 0) {
            return minCheckInterval;
        }
        return ttl.compareTo(MAX_CHECK_INTERVAL) > 0 ? MAX_CHECK_INTERVAL : ttl;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResolverSettings)) {
            return false;
        }
        ResolverSettings that = (ResolverSettings) o;
        return alertAfterFailures == that.alertAfterFailures && minCheckInterval.equals(that.minCheckInterval)
            && evictUnusedAfter.equals(that.evictUnusedAfter) && policyWait.equals(that.policyWait)
            && policyDeferral.equals(that.policyDeferral) && discoveryThreads == that.discoveryThreads
            && discoveryQueue == that.discoveryQueue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(minCheckInterval, evictUnusedAfter, alertAfterFailures, policyWait, policyDeferral,
            discoveryThreads, discoveryQueue);
    }

    @Override
    public String toString() {
        return "ResolverSettings{minCheckInterval=" + minCheckInterval + ", evictUnusedAfter=" + evictUnusedAfter
            + ", alertAfterFailures=" + alertAfterFailures + ", policyWait=" + policyWait + ", policyDeferral="
            + policyDeferral + ", discoveryThreads=" + discoveryThreads + ", discoveryQueue=" + discoveryQueue + "}";
    }
}
