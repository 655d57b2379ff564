package io.github.jamesmtasts.mtasts.fetch;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * The result of fetching and parsing {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 3.3).
 * A failure is classified as one of the RFC 8460 4.3.2 result types {@code sts-policy-fetch-error},
 * {@code sts-webpki-invalid} or {@code sts-policy-invalid}, with a message naming the domain and what to fix.
 */
public final class FetchOutcome {

    private final Optional<StsPolicy> policy;
    private final Optional<String> policyText;
    private final Optional<ResultType> failureType;
    private final Optional<String> failureMessage;

    private FetchOutcome(Optional<StsPolicy> policy, Optional<String> policyText,
                         Optional<ResultType> failureType, Optional<String> failureMessage) {
        this.policy = policy;
        this.policyText = policyText;
        this.failureType = failureType;
        this.failureMessage = failureMessage;
    }

    public static FetchOutcome success(StsPolicy policy, String policyText) {
        return new FetchOutcome(Optional.of(policy), Optional.of(policyText), Optional.empty(), Optional.empty());
    }

    public static FetchOutcome failure(ResultType type, String message) {
        if (type != ResultType.STS_POLICY_FETCH_ERROR && type != ResultType.STS_POLICY_INVALID
            && type != ResultType.STS_WEBPKI_INVALID) {
            throw new IllegalArgumentException("not a policy fetch result type: " + type);
        }
        return new FetchOutcome(Optional.empty(), Optional.empty(), Optional.of(type), Optional.of(message));
    }

    public boolean isSuccess() {
        return policy.isPresent();
    }

    public Optional<StsPolicy> policy() {
        return policy;
    }

    /** The policy body as served, for storage and diagnostics. */
    public Optional<String> policyText() {
        return policyText;
    }

    public Optional<ResultType> failureType() {
        return failureType;
    }

    public Optional<String> failureMessage() {
        return failureMessage;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FetchOutcome)) {
            return false;
        }
        FetchOutcome that = (FetchOutcome) o;
        return policy.equals(that.policy) && policyText.equals(that.policyText)
            && failureType.equals(that.failureType) && failureMessage.equals(that.failureMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, policyText, failureType, failureMessage);
    }

    @Override
    public String toString() {
        return isSuccess() ? "FetchOutcome{" + policy.get() + "}"
            : "FetchOutcome{" + failureType.get().token() + ": " + failureMessage.get() + "}";
    }
}
