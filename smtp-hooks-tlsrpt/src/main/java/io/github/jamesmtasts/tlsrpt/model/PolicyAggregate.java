package io.github.jamesmtasts.tlsrpt.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One day's counters for one {@link ReportPolicy}: what becomes one element of a report's {@code policies}
 * array (RFC 8460 4.4): the summary counts and one {@code failure-details} entry per distinct details.
 */
public final class PolicyAggregate {

    private final ReportPolicy policy;
    private final long successCount;
    private final Map<FailureDetails, Long> failures;

    private PolicyAggregate(ReportPolicy policy, long successCount, Map<FailureDetails, Long> failures) {
        if (successCount < 0 || failures.values().stream().anyMatch(c -> c <= 0)) {
            throw new IllegalArgumentException("counts must be positive");
        }
        this.policy = Objects.requireNonNull(policy);
        this.successCount = successCount;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** @param failures failed-session count per distinct details, in the order they should be reported */
    public static PolicyAggregate of(ReportPolicy policy, long successCount, Map<FailureDetails, Long> failures) {
        return new PolicyAggregate(policy, successCount, failures);
    }

    public ReportPolicy policy() {
        return policy;
    }

    public long successCount() {
        return successCount;
    }

    /** {@code total-failure-session-count}: the sum of the failure counts. */
    public long failureCount() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<FailureDetails, Long> failures() {
        return failures;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyAggregate)) {
            return false;
        }
        PolicyAggregate that = (PolicyAggregate) o;
        return successCount == that.successCount && policy.equals(that.policy) && failures.equals(that.failures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, successCount, failures);
    }

    @Override
    public String toString() {
        return "PolicyAggregate{" + policy + " ok=" + successCount + " failed=" + failures + "}";
    }
}
