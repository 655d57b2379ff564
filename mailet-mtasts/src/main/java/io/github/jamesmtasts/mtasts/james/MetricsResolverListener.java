package io.github.jamesmtasts.mtasts.james;

import java.util.Locale;

import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.PolicyHealing;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * Publishes the policy resolver's events as James metrics (design 7) and logs the alert of RFC 8461 3.3 when a
 * cached policy keeps failing to refresh.
 */
public final class MetricsResolverListener implements ResolverListener {

    public static final String CACHE_HITS = "mtasts_policy_cache_hits";
    public static final String LOOKUPS_PREFIX = "mtasts_policy_lookups_";
    public static final String FETCHED_PREFIX = "mtasts_policy_fetched_";
    public static final String FETCH_ERRORS_PREFIX = "mtasts_policy_fetch_errors_";
    public static final String REFRESH_FAILURES = "mtasts_policy_refresh_failures";
    public static final String REFRESH_ALERTS = "mtasts_policy_refresh_alerts";
    public static final String STORE_ERRORS = "mtasts_policy_store_errors";
    public static final String DISCOVERY_PENDING = "mtasts_policy_discovery_pending";
    public static final String DISCOVERY_REFUSED = "mtasts_policy_discovery_refused";
    /**
     * {@code ..._changed} (the policy was healed), {@code ..._unchanged} or {@code ..._failed}: refetches of a cached
     * policy under an unchanged id after every MX host of a delivery was refused under it.
     */
    public static final String STALE_REFETCH_PREFIX = "mtasts_policy_stale_refetch_";

    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsResolverListener.class);

    private final MetricFactory metricFactory;

    public MetricsResolverListener(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
    }

    @Override
    public void cacheHit(String domain) {
        metricFactory.generate(CACHE_HITS).increment();
    }

    @Override
    public void lookupOutcome(String domain, TxtRecordOutcome.Kind kind) {
        metricFactory.generate(LOOKUPS_PREFIX + kind.name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void policyFetched(String domain, Mode mode) {
        metricFactory.generate(FETCHED_PREFIX + mode.token()).increment();
    }

    @Override
    public void fetchFailure(String domain, ResultType type) {
        metricFactory.generate(FETCH_ERRORS_PREFIX + DeliveryMetrics.name(type)).increment();
    }

    @Override
    public void refreshFailure(String domain, int consecutiveFailures, boolean alert) {
        metricFactory.generate(REFRESH_FAILURES).increment();
        if (alert) {
            metricFactory.generate(REFRESH_ALERTS).increment();
            LOGGER.error("MTA-STS policy of {} could not be refreshed {} times in a row; the cached policy is still "
                + "applied until it expires - check the domain's _mta-sts TXT record and https://mta-sts.{}/"
                + ".well-known/mta-sts.txt", domain, consecutiveFailures, domain);
        }
    }

    @Override
    public void staleRefetch(String domain, PolicyHealing.Outcome outcome) {
        metricFactory.generate(STALE_REFETCH_PREFIX + outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void discoveryPending(String domain) {
        metricFactory.generate(DISCOVERY_PENDING).increment();
    }

    @Override
    public void discoveryRefused(String domain) {
        metricFactory.generate(DISCOVERY_REFUSED).increment();
    }

    @Override
    public void storeError(String domain, RuntimeException error) {
        metricFactory.generate(STORE_ERRORS).increment();
        LOGGER.warn("MTA-STS policy store error for {}; going on from memory", domain, error);
    }
}
