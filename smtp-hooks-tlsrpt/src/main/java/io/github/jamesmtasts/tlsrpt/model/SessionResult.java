package io.github.jamesmtasts.tlsrpt.model;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * The outcome of one outbound SMTP session, or of one failed policy fetch, under the policy that applied
 * (RFC 8460 4.1). A success carries no details; a failure carries exactly one {@link FailureDetails}.
 */
public final class SessionResult {

    private final ReportPolicy policy;
    private final Optional<FailureDetails> failure;

    private SessionResult(ReportPolicy policy, Optional<FailureDetails> failure) {
        this.policy = Objects.requireNonNull(policy);
        this.failure = failure;
    }

    public static SessionResult success(ReportPolicy policy) {
        return new SessionResult(policy, Optional.empty());
    }

    public static SessionResult failure(ReportPolicy policy, FailureDetails details) {
        return new SessionResult(policy, Optional.of(details));
    }

    public ReportPolicy policy() {
        return policy;
    }

    public Optional<FailureDetails> failure() {
        return failure;
    }

    public boolean isSuccess() {
        return failure.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionResult)) {
            return false;
        }
        SessionResult that = (SessionResult) o;
        return policy.equals(that.policy) && failure.equals(that.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, failure);
    }

    @Override
    public String toString() {
        return "SessionResult{" + policy + failure.map(f -> " " + f).orElse(" success") + "}";
    }
}
