package io.github.jamesmtasts.mtasts.deliver;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;

/** What one MX host of one delivery attempt gets from {@link MailDecisions}: the verdict and what to record against. */
public final class HostPlan {

    private final String mxHost;
    private final HostVerdict verdict;
    private final Optional<PolicyDecision> decision;
    private final Optional<Mode> appliedMode;

    private HostPlan(String mxHost, HostVerdict verdict, Optional<PolicyDecision> decision, Optional<Mode> appliedMode) {
        this.mxHost = Objects.requireNonNull(mxHost);
        this.verdict = Objects.requireNonNull(verdict);
        this.decision = decision;
        this.appliedMode = appliedMode;
    }

    /** Nothing is recorded for this host: MTA-STS does not apply, or the mail opted out of it. */
    static HostPlan unrecorded(String mxHost, HostVerdict verdict) {
        return new HostPlan(mxHost, verdict, Optional.empty(), Optional.empty());
    }

    static HostPlan recorded(String mxHost, HostVerdict verdict, PolicyDecision decision, Mode appliedMode) {
        return new HostPlan(mxHost, verdict, Optional.of(decision), Optional.of(appliedMode));
    }

    public String mxHost() {
        return mxHost;
    }

    public HostVerdict verdict() {
        return verdict;
    }

    /** The decision whose RFC 8460 policy block the session is recorded under; empty: record nothing. */
    public Optional<PolicyDecision> decision() {
        return decision;
    }

    /** The mode applied to the host (the override's, else the policy's); empty when no decision applies. */
    public Optional<Mode> appliedMode() {
        return appliedMode;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostPlan)) {
            return false;
        }
        HostPlan that = (HostPlan) o;
        return mxHost.equals(that.mxHost) && verdict.equals(that.verdict) && decision.equals(that.decision)
            && appliedMode.equals(that.appliedMode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mxHost, verdict, decision, appliedMode);
    }

    /** In the documented log format (docs/mta-sts.md): {@code domain=.. policyId=.. mode=.. mx=.. verdict=..}. */
    @Override
    public String toString() {
        return decision.map(d -> "domain=" + d.domain() + " policyId=" + d.policyId().orElse("-") + " mode="
            + appliedMode.map(Mode::token).orElse("-") + " ").orElse("") + "mx=" + mxHost + " verdict=" + verdict;
    }
}
