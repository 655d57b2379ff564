package io.github.jamesmtasts.mtasts.resolve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.fetch.PolicyFetcher;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * One check of a domain's policy, the RFC 8461 3.3 / 5.1 state machine: TXT lookup, then fetch when the id is new
 * or the cached policy expired (or, for the refresher, is past half its lifetime). Runs inside the domain's single
 * flight, so it is the only writer of the domain's cache entry while it runs. docs/mta-sts-cache.md has the table.
 */
final class PolicyCheck {

    enum Trigger {
        /** A delivery found no warm entry. */
        MISS,
        /** RFC 8461 5.1: before a permanent failure; ignores the check interval. */
        RECHECK,
        /** RFC 8461 3.3: the daily refresher; also re-fetches an unchanged policy past half its lifetime. */
        PROACTIVE,
        /**
         * An operator asked for a refetch (WebAdmin): fetch the policy even under an unchanged id and despite the
         * back-off; a failed fetch still keeps the unexpired cached policy (RFC 8461 3.3).
         */
        OPERATOR
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyCheck.class);

    private final RecordLookup lookup;
    private final PolicyFetcher fetcher;
    private final CacheLayers cache;
    private final FetchBackoff backoff;
    private final FetchFailureReport failures;
    private final ResolverListener listener;
    private final ResolverSettings settings;
    private final Clock clock;

    PolicyCheck(RecordLookup lookup, PolicyFetcher fetcher, CacheLayers cache, FetchBackoff backoff,
                FetchFailureReport failures, ResolverListener listener, ResolverSettings settings, Clock clock) {
        this.lookup = lookup;
        this.fetcher = fetcher;
        this.cache = cache;
        this.backoff = backoff;
        this.failures = failures;
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
    }

    PolicyDecision run(DomainName name, Trigger trigger) {
        String domain = name.asString();
        Instant now = clock.instant();
        WarmCache.Entry entry = cache.warm().get(name);
        if (trigger == Trigger.MISS && entry != null && entry.isWarm(now.toEpochMilli())) {
            // Another flight refreshed the entry between this caller's miss and the start of its own flight.
            return entry.decision();
        }
        // The store may hold a policy that another node fetched or checked meanwhile: the later one wins.
        Optional<CachedPolicy> cached = cache.latest(name, entry);
        if (trigger == Trigger.MISS && cached.isPresent() && !cached.get().isExpired(now)
            && now.isBefore(cached.get().lastCheckedAt().plus(settings.minCheckInterval()))) {
            // Another node (sharing the store) checked the id recently: no need to look again.
            return cache.warm().putPolicy(cached.get(), now, cached.get().lastCheckedAt().plus(settings.minCheckInterval()));
        }
        TxtRecordOutcome<StsRecord> outcome = lookup.lookup(name);
        listener.lookupOutcome(domain, outcome.kind());
        Optional<CachedPolicy> valid = cached.filter(c -> !c.isExpired(now));
        switch (outcome.kind()) {
            case VALID:
                return onRecord(name, outcome, cached, valid, now, trigger);
            case DNS_ERROR:
                return onDnsError(name, outcome, cached, valid, now);
            case ABSENT:
            case INVALID:
            case MULTIPLE:
            default:
                return onNoRecord(name, outcome, cached, valid, now);
        }
    }

    private PolicyDecision onRecord(DomainName name, TxtRecordOutcome<StsRecord> outcome, Optional<CachedPolicy> cached,
                                    Optional<CachedPolicy> valid, Instant now, Trigger trigger) {
        String domain = name.asString();
        String id = outcome.record().get().id();
        Instant checkDue = now.plus(settings.checkInterval(outcome.ttl().orElse(Duration.ZERO)));
        boolean sameId = valid.isPresent() && valid.get().recordId().equals(id);
        if (sameId && trigger != Trigger.OPERATOR && !(trigger == Trigger.PROACTIVE && pastHalfLife(valid.get(), now))) {
            // SPEC: an unchanged id only marks the policy checked; its expiry moves only with an HTTPS fetch
            // (the proactive refresher re-fetches before expiry), because DNS answers are not authenticated.
            return cache.put(valid.get().checked(now), now, checkDue);
        }
        if (trigger != Trigger.OPERATOR && backoff.isBackingOff(domain, id, now)) {
            // RFC 8461 3.3: at most one fetch per id every five minutes after a failure.
            LOGGER.debug("MTA-STS policy fetch for {} (TXT id {}) backing off", domain, id);
            return valid.map(c -> cache.warm().putPolicy(c, now, backoff.retryAt(now)))
                .orElseGet(() -> cache.warm().putNoPolicy(name, cached, now, backoff.retryAt(now)));
        }
        FetchOutcome fetched = fetcher.fetch(name);
        if (fetched.isSuccess()) {
            backoff.succeeded(domain);
            StsPolicy policy = fetched.policy().get();
            LOGGER.info("MTA-STS policy of {} fetched: id {}, mode {}, max_age {}s, mx {}", domain, id,
                policy.mode().token(), policy.maxAge().getSeconds(), policy.mx());
            listener.policyFetched(domain, policy.mode());
            if (policy.maxAge().isZero()) {
                return cache.applyUncached(name, id, policy, cached);
            }
            return cache.put(CachedPolicy.fetched(name, id, policy, fetched.policyText().get(), now), now, checkDue);
        }
        backoff.failed(domain, id, now);
        failures.report(domain, id, fetched, valid);
        String failure = fetched.failureType().get().token() + ": " + fetched.failureMessage().orElse("");
        if (valid.isPresent()) {
            // RFC 8461 3.3 (R): a new id whose policy cannot be fetched keeps the old, unexpired policy in force.
            return cache.put(valid.get().failed(now, failure, true), now, checkDue);
        }
        // RFC 8461 3.3 (F): a valid TXT record, no policy fetchable over HTTPS (for any reason) and no valid cached
        // policy: senders MUST go on delivering as if the domain published no MTA-STS at all.
        cached.ifPresent(expired -> cache.save(expired.failed(now, failure, true)));
        return cache.warm().putNoPolicy(name, cached.map(c -> c.failed(now, failure, true)), now, backoff.retryAt(now));
    }

    private PolicyDecision onNoRecord(DomainName domain, TxtRecordOutcome<StsRecord> outcome, Optional<CachedPolicy> cached,
                                      Optional<CachedPolicy> valid, Instant now) {
        Instant checkDue = now.plus(settings.minCheckInterval());
        if (valid.isPresent()) {
            // RFC 8461 3.1/3.3 (T): a missing or broken record does not remove a cached policy; it applies until it
            // expires. Counted as a refresh failure: removing MTA-STS is announced with mode none first (8.3).
            String failure = "TXT record " + outcome.kind().name().toLowerCase(java.util.Locale.ROOT)
                + outcome.reason().map(r -> ": " + r).orElse("");
            LOGGER.warn("MTA-STS: _mta-sts.{} is {}; keeping the cached policy (id {}, mode {}) until it expires at {}",
                domain, outcome.kind(), valid.get().recordId(), valid.get().policy().mode().token(),
                valid.get().expiresAt());
            return cache.put(valid.get().failed(now, failure, true), now, checkDue);
        }
        // RFC 8461 3.1: no (single, valid) STS record and nothing cached: the domain has no policy.
        return cache.warm().putNoPolicy(domain, cached, now, checkDue);
    }

    private PolicyDecision onDnsError(DomainName domain, TxtRecordOutcome<StsRecord> outcome, Optional<CachedPolicy> cached,
                                      Optional<CachedPolicy> valid, Instant now) {
        String reason = outcome.reason().orElse("TXT lookup failed temporarily");
        if (valid.isPresent()) {
            // RFC 8461 3.3: no live policy can be discovered, but a valid cached one exists: apply it.
            LOGGER.warn("MTA-STS: {}; keeping the cached policy of {} (id {}, mode {})", reason, domain,
                valid.get().recordId(), valid.get().policy().mode().token());
            return cache.put(valid.get().failed(now, reason, false), now, now.plus(settings.minCheckInterval()));
        }
        // Design rule T: a DNS failure is not "no policy"; nothing valid is cached, so the answer is unknown.
        LOGGER.warn("MTA-STS: {}; no valid cached policy for {}, deferring", reason, domain);
        return PolicyDecision.temporaryFailure(domain, reason);
    }

    /** SPEC: the refresher re-fetches an unchanged policy once half its max_age has passed. */
    private static boolean pastHalfLife(CachedPolicy policy, Instant now) {
        Duration lifetime = Duration.between(policy.fetchedAt(), policy.expiresAt());
        return !now.isBefore(policy.fetchedAt().plus(lifetime.dividedBy(2)));
    }
}
