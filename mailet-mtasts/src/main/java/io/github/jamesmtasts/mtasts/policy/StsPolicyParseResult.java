package io.github.jamesmtasts.mtasts.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link StsPolicyParser} made of a policy body: a valid {@link StsPolicy}, or invalid with a reason naming the
 * line and key at fault (to be reported as {@code sts-policy-invalid}, RFC 8460 4.3.2).
 */
public final class StsPolicyParseResult {

    private final Optional<StsPolicy> policy;
    private final Optional<String> reason;

    private StsPolicyParseResult(Optional<StsPolicy> policy, Optional<String> reason) {
        this.policy = policy;
        this.reason = reason;
    }

    public static StsPolicyParseResult valid(StsPolicy policy) {
        return new StsPolicyParseResult(Optional.of(policy), Optional.empty());
    }

    public static StsPolicyParseResult invalid(String reason) {
        return new StsPolicyParseResult(Optional.empty(), Optional.of(reason));
    }

    public boolean isValid() {
        return policy.isPresent();
    }

    public Optional<StsPolicy> policy() {
        return policy;
    }

    /** Why the policy is invalid; present exactly when {@link #isValid()} is false. */
    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StsPolicyParseResult)) {
            return false;
        }
        StsPolicyParseResult that = (StsPolicyParseResult) o;
        return policy.equals(that.policy) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, reason);
    }

    @Override
    public String toString() {
        return "StsPolicyParseResult{" + policy.map(Object::toString).orElseGet(() -> "invalid: " + reason.get()) + "}";
    }
}
