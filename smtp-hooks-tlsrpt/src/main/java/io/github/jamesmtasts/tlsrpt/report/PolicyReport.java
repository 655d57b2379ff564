package io.github.jamesmtasts.tlsrpt.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * One element of a report's {@code policies} array (RFC 8460 4.4): the policy block, the summary and the failure
 * details. The summary is stored, not derived, because reports written by others do not always add up.
 */
public final class PolicyReport {

    private final ReportPolicy policy;
    private final long totalSuccessfulSessionCount;
    private final long totalFailureSessionCount;
    private final Map<FailureDetails, Long> failureDetails;

    private PolicyReport(ReportPolicy policy, long successful, long failed, Map<FailureDetails, Long> failureDetails) {
        if (successful < 0 || failed < 0 || failureDetails.values().stream().anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("session counts must not be negative");
        }
        this.policy = Objects.requireNonNull(policy);
        this.totalSuccessfulSessionCount = successful;
        this.totalFailureSessionCount = failed;
        this.failureDetails = Collections.unmodifiableMap(new LinkedHashMap<>(failureDetails));
    }

    /** Our own counters: the failure total is the sum of the details. */
    public static PolicyReport of(PolicyAggregate aggregate) {
        return new PolicyReport(aggregate.policy(), aggregate.successCount(), aggregate.failureCount(),
            aggregate.failures());
    }

    /** As read from a report, summary included. */
    public static PolicyReport of(ReportPolicy policy, long totalSuccessful, long totalFailure,
                                  Map<FailureDetails, Long> failureDetails) {
        return new PolicyReport(policy, totalSuccessful, totalFailure, failureDetails);
    }

    public ReportPolicy policy() {
        return policy;
    }

    public long totalSuccessfulSessionCount() {
        return totalSuccessfulSessionCount;
    }

    public long totalFailureSessionCount() {
        return totalFailureSessionCount;
    }

    /** {@code failed-session-count} per distinct details, in report order. */
    public Map<FailureDetails, Long> failureDetails() {
        return failureDetails;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyReport)) {
            return false;
        }
        PolicyReport that = (PolicyReport) o;
        return totalSuccessfulSessionCount == that.totalSuccessfulSessionCount
            && totalFailureSessionCount == that.totalFailureSessionCount && policy.equals(that.policy)
            && failureDetails.equals(that.failureDetails);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, totalSuccessfulSessionCount, totalFailureSessionCount, failureDetails);
    }

    @Override
    public String toString() {
        return "PolicyReport{" + policy + " ok=" + totalSuccessfulSessionCount + " failed=" + totalFailureSessionCount
            + " " + failureDetails + "}";
    }
}
