package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * What the resolver reports for metrics (the James glue maps these callbacks to {@code MetricFactory} counters).
 * Callbacks run on the resolving thread, {@link #cacheHit} on the delivery hot path: they must be cheap and must
 * not throw. Every method does nothing by default.
 */
public interface ResolverListener {

    ResolverListener NOOP = new ResolverListener() {
    };

    /** A decision came from memory without any I/O. */
    default void cacheHit(String domain) {
    }

    /** A {@code _mta-sts} TXT lookup concluded {@code kind}. */
    default void lookupOutcome(String domain, TxtRecordOutcome.Kind kind) {
    }

    /** A policy was fetched and cached. */
    default void policyFetched(String domain, Mode mode) {
    }

    /** A policy fetch failed with one of the RFC 8460 {@code sts-*} result types. */
    default void fetchFailure(String domain, ResultType type) {
    }

    /**
     * A cached policy could not be refreshed, {@code consecutiveFailures} times in a row.
     *
     * @param alert true when the failures reached the alert threshold and the policy is not {@code mode: none}
     *     (RFC 8461 3.3: alert administrators)
     */
    default void refreshFailure(String domain, int consecutiveFailures, boolean alert) {
    }

    /**
     * Every MX host of a delivery was refused under a cached policy, which was therefore refetched under its unchanged
     * id ({@link StalePolicyHealer}); {@link PolicyHealing.Outcome#CHANGED} means the policy was healed.
     */
    default void staleRefetch(String domain, PolicyHealing.Outcome outcome) {
    }

    /** H6: a delivery stopped waiting for the domain's policy discovery and is deferred; the discovery goes on. */
    default void discoveryPending(String domain) {
    }

    /** H6: the discovery pool and its queue were full; the discovery was not started and the delivery is deferred. */
    default void discoveryRefused(String domain) {
    }

    /** The durable store could not be read or written; the resolver went on from memory. */
    default void storeError(String domain, RuntimeException error) {
    }
}
