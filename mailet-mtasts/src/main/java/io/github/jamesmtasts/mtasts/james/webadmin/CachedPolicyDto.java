package io.github.jamesmtasts.mtasts.james.webadmin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.policy.MxPattern;
import io.github.jamesmtasts.mtasts.resolve.PolicyHealing;

/**
 * JSON of one cached MTA-STS policy (RFC 8461 3.3): what was fetched under which TXT id, until when it applies, and
 * how its last check or refresh went.
 */
@JsonPropertyOrder({"domain", "id", "mode", "maxAge", "mx", "policy", "fetchedAt", "expiresAt", "expired",
    "lastCheckedAt", "lastUsedAt", "lastRefresh", "staleRefetch"})
public final class CachedPolicyDto {

    /**
     * This node's last refetch of the policy under an unchanged id after every MX host of a delivery was refused under
     * it (docs/enforcement.md, "Stale policies"); {@code changes} counts the refetches that found a changed policy.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonPropertyOrder({"lastRefetchAt", "outcome", "lastChangedAt", "changes"})
    public static final class StaleRefetch {
        private final PolicyHealing healing;

        StaleRefetch(PolicyHealing healing) {
            this.healing = healing;
        }

        public String getLastRefetchAt() {
            return healing.lastRefetchAt().toString();
        }

        /** {@code changed}, {@code unchanged} or {@code failed}. */
        public String getOutcome() {
            return healing.lastOutcome().name().toLowerCase(Locale.ROOT);
        }

        public Optional<String> getLastChangedAt() {
            return healing.lastChangedAt().map(Instant::toString);
        }

        public int getChanges() {
            return healing.changes();
        }
    }

    /** The outcome of the last TXT check or refresh (RFC 8461 3.3: failures are alerted on). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonPropertyOrder({"outcome", "consecutiveFailures", "failure"})
    public static final class LastRefresh {
        private final CachedPolicy cached;

        LastRefresh(CachedPolicy cached) {
            this.cached = cached;
        }

        /** {@code success} or {@code failure}. */
        public String getOutcome() {
            return cached.lastFailure().isPresent() ? "failure" : "success";
        }

        public int getConsecutiveFailures() {
            return cached.consecutiveFailures();
        }

        public Optional<String> getFailure() {
            return cached.lastFailure();
        }
    }

    private final CachedPolicy cached;
    private final Instant now;
    private final Optional<PolicyHealing> healing;

    private CachedPolicyDto(CachedPolicy cached, Instant now, Optional<PolicyHealing> healing) {
        this.cached = cached;
        this.now = now;
        this.healing = healing;
    }

    static CachedPolicyDto of(CachedPolicy cached, Instant now, Optional<PolicyHealing> healing) {
        return new CachedPolicyDto(cached, now, healing);
    }

    public String getDomain() {
        return cached.domain().asString();
    }

    /** The {@code id} of the {@code _mta-sts} TXT record the policy was fetched under. */
    public String getId() {
        return cached.recordId();
    }

    public String getMode() {
        return cached.policy().mode().token();
    }

    /** {@code max_age} in seconds. */
    public long getMaxAge() {
        return cached.policy().maxAge().getSeconds();
    }

    public List<String> getMx() {
        return cached.policy().mx().stream().map(MxPattern::value).collect(Collectors.toList());
    }

    /** The policy lines as served (also the RFC 8460 {@code policy-string}). */
    public List<String> getPolicy() {
        return cached.policy().lines();
    }

    public String getFetchedAt() {
        return cached.fetchedAt().toString();
    }

    public String getExpiresAt() {
        return cached.expiresAt().toString();
    }

    /** An expired policy no longer applies (RFC 8461 3.3); it stays listed until evicted. */
    public boolean isExpired() {
        return cached.isExpired(now);
    }

    public String getLastCheckedAt() {
        return cached.lastCheckedAt().toString();
    }

    public String getLastUsedAt() {
        return cached.lastUsedAt().toString();
    }

    public LastRefresh getLastRefresh() {
        return new LastRefresh(cached);
    }

    /** Absent until every MX of a delivery was refused under the policy and it was refetched. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<StaleRefetch> getStaleRefetch() {
        return healing.map(StaleRefetch::new);
    }
}
