package io.github.jamesmtasts.mtasts.james.webadmin;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;

/**
 * JSON of {@code POST /mta-sts/policies/{domain}?action=refresh}: the decision deliveries now get for the domain,
 * why it is a temporary failure if it is one, and the cached policy after the check.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({"domain", "decision", "mode", "reason", "policy"})
public final class RefreshResultDto {

    private final PolicyDecision decision;
    private final Optional<CachedPolicyDto> policy;

    RefreshResultDto(PolicyDecision decision, Optional<CachedPolicyDto> policy) {
        this.decision = decision;
        this.policy = policy;
    }

    public String getDomain() {
        return decision.domain().asString();
    }

    /** {@code policy}, {@code no-policy} or {@code temporary-failure}. */
    public String getDecision() {
        return decision.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mode deliveries apply now: {@code none} unless a testing or enforce policy applies. */
    public String getMode() {
        return decision.mode().token();
    }

    public Optional<String> getReason() {
        return decision.reason();
    }

    public Optional<CachedPolicyDto> getPolicy() {
        return policy;
    }
}
