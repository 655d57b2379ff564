package io.github.jamesmtasts.mtasts.resolve;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.policy.StsPolicy;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * The resolver's answer for one recipient domain: which policy applies now, and the RFC 8460 policy block
 * that the sessions of this delivery are recorded under, so that no caller re-derives it.
 */
public final class PolicyDecision {

    public enum Kind {
        /** The domain has no policy (or only {@code mode: none}): deliver as before. */
        NO_POLICY,
        /** Apply {@link #policy()} in its mode. */
        POLICY,
        /**
         * Nothing cached and the lookup failed temporarily (DNS or fetch): whether a policy exists is
         * unknown, so a careful sender defers instead of delivering opportunistically.
         */
        TEMPORARY_FAILURE
    }

    private final Kind kind;
    private final DomainName domain;
    private final Optional<StsPolicy> policy;
    private final Optional<String> policyId;
    private final ReportPolicy reportPolicy;
    private final Optional<String> reason;

    private PolicyDecision(Kind kind, DomainName domain, Optional<StsPolicy> policy, Optional<String> policyId,
                           ReportPolicy reportPolicy, Optional<String> reason) {
        this.kind = kind;
        this.domain = Objects.requireNonNull(domain);
        this.policy = policy;
        this.policyId = policyId;
        this.reportPolicy = Objects.requireNonNull(reportPolicy);
        this.reason = reason;
    }

    public static PolicyDecision noPolicy(DomainName domain) {
        return new PolicyDecision(Kind.NO_POLICY, domain, Optional.empty(), Optional.empty(),
            ReportPolicy.noPolicyFound(domain.asString()), Optional.empty());
    }

    /** A policy applies. {@code mode: none} is reported as {@code no-policy-found}, as a domain opting out. */
    public static PolicyDecision policy(DomainName domain, String policyId, StsPolicy policy) {
        if (policy.mode() == Mode.NONE) {
            return new PolicyDecision(Kind.NO_POLICY, domain, Optional.of(policy), Optional.of(policyId),
                ReportPolicy.noPolicyFound(domain.asString()), Optional.empty());
        }
        return new PolicyDecision(Kind.POLICY, domain, Optional.of(policy), Optional.of(policyId),
            policy.toReportPolicy(domain.asString()), Optional.empty());
    }

    public static PolicyDecision temporaryFailure(DomainName domain, String reason) {
        return new PolicyDecision(Kind.TEMPORARY_FAILURE, domain, Optional.empty(), Optional.empty(),
            ReportPolicy.noPolicyFound(domain.asString()), Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    /** The policy domain (RFC 8461 3.4). */
    public DomainName domain() {
        return domain;
    }

    /** The policy in force; for {@link Kind#NO_POLICY} present only when the domain published {@code mode: none}. */
    public Optional<StsPolicy> policy() {
        return policy;
    }

    /** The TXT record id the policy was fetched under. */
    public Optional<String> policyId() {
        return policyId;
    }

    /** The mode to apply: {@code NONE} unless a policy in testing or enforce applies. */
    public Mode mode() {
        return kind == Kind.POLICY ? policy.get().mode() : Mode.NONE;
    }

    public ReportPolicy reportPolicy() {
        return reportPolicy;
    }

    /** Why the decision is a temporary failure. */
    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyDecision)) {
            return false;
        }
        PolicyDecision that = (PolicyDecision) o;
        return kind == that.kind && domain.equals(that.domain) && policy.equals(that.policy)
            && policyId.equals(that.policyId) && reportPolicy.equals(that.reportPolicy) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, domain, policy, policyId, reportPolicy, reason);
    }

    @Override
    public String toString() {
        return "PolicyDecision{" + kind + " " + domain + policyId.map(id -> " id=" + id).orElse("")
            + policy.map(p -> " " + p).orElse("") + reason.map(r -> " (" + r + ")").orElse("") + "}";
    }
}
