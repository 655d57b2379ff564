package io.github.jamesmtasts.mtasts.resolve;

import java.time.Duration;
import java.util.Objects;

/** Tunables of {@link DefaultPolicyResolver} and {@link PolicyRefresher}; {@link #defaults()} suits production. */
public final class ResolverSettings {

    /**
     * SPEC: the TXT id of a cached policy is checked again after max(record TTL, this), so a warm cache does no
     * DNS at all between checks; 5 minutes matches the fetch back-off of RFC 8461 3.3.
     */
    public static final Duration DEFAULT_MIN_CHECK_INTERVAL = Duration.ofMinutes(5);
    /** A TXT TTL longer than a day does not delay the check further: the refresher runs daily anyway. */
    public static final Duration MAX_CHECK_INTERVAL = Duration.ofDays(1);
    /** SPEC: a policy expired and unused for this long is deleted; policies not yet expired are never deleted. */
    public static final Duration DEFAULT_EVICT_UNUSED_AFTER = Duration.ofDays(30);
    /** RFC 8461 3.3: alert on repeated refresh failures; this many in a row raise an alert. */
    public static final int DEFAULT_ALERT_AFTER_FAILURES = 3;

    private final Duration minCheckInterval;
    private final Duration evictUnusedAfter;
    private final int alertAfterFailures;

    private ResolverSettings(Duration minCheckInterval, Duration evictUnusedAfter, int alertAfterFailures) {
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
        this.minCheckInterval = minCheckInterval;
        this.evictUnusedAfter = evictUnusedAfter;
        this.alertAfterFailures = alertAfterFailures;
    }

    public static ResolverSettings defaults() {
        return new ResolverSettings(DEFAULT_MIN_CHECK_INTERVAL, DEFAULT_EVICT_UNUSED_AFTER, DEFAULT_ALERT_AFTER_FAILURES);
    }

    public ResolverSettings withMinCheckInterval(Duration value) {
        return new ResolverSettings(Objects.requireNonNull(value), evictUnusedAfter, alertAfterFailures);
    }

    public ResolverSettings withEvictUnusedAfter(Duration value) {
        return new ResolverSettings(minCheckInterval, Objects.requireNonNull(value), alertAfterFailures);
    }

    public ResolverSettings withAlertAfterFailures(int value) {
        return new ResolverSettings(minCheckInterval, evictUnusedAfter, value);
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
            && evictUnusedAfter.equals(that.evictUnusedAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minCheckInterval, evictUnusedAfter, alertAfterFailures);
    }

    @Override
    public String toString() {
        return "ResolverSettings{minCheckInterval=" + minCheckInterval + ", evictUnusedAfter=" + evictUnusedAfter
            + ", alertAfterFailures=" + alertAfterFailures + "}";
    }
}
