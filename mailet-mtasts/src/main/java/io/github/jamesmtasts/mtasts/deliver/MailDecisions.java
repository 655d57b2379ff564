package io.github.jamesmtasts.mtasts.deliver;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;

/**
 * The MTA-STS decisions of ONE delivery attempt of one mail, made once before James walks the MX hosts (RFC 8461 5:
 * the policy is looked up per message, then every MX host is checked against it). Each MX host of the walk gets its
 * {@link HostPlan} from here with no lookup or other I/O. Immutable; pure.
 */
public final class MailDecisions {

    private enum Scope { NOT_APPLIED, OPTED_OUT, APPLIED }

    private final Scope scope;
    private final String optOutReason;
    private final Map<String, PolicyDecision> decisions;
    private final Map<String, DomainOverride> overrides;

    private MailDecisions(Scope scope, String optOutReason, Map<String, PolicyDecision> decisions,
                          Map<String, DomainOverride> overrides) {
        this.scope = scope;
        this.optOutReason = optOutReason;
        this.decisions = Map.copyOf(decisions);
        this.overrides = Map.copyOf(overrides);
    }

    /** MTA-STS is switched off for the mailet: every host is delivered to as stock RemoteDelivery would. */
    public static MailDecisions notApplied() {
        return new MailDecisions(Scope.NOT_APPLIED, "", Map.of(), Map.of());
    }

    /**
     * The mail is delivered despite TLS problems and not recorded (our TLS-RPT report mails, RFC 8460 5.3; a trusted
     * {@code TLS-Required: No}, RFC 8689 5).
     */
    public static MailDecisions optedOut(String reason) {
        return new MailDecisions(Scope.OPTED_OUT, Objects.requireNonNull(reason), Map.of(), Map.of());
    }

    /**
     * @param decisions the decision of every policy domain of the mail MTA-STS applies to (keys in canonical form)
     * @param overrides the administrator's overrides of the mail's policy domains, {@code disable} included
     */
    public static MailDecisions of(Map<String, PolicyDecision> decisions, Map<String, DomainOverride> overrides) {
        return new MailDecisions(Scope.APPLIED, "", decisions, overrides);
    }

    /**
     * @param policyDomain the host's policy domain (RFC 8461 3.4: the recipient domain, or the gateway's); empty for
     *                     address literals
     */
    public HostPlan plan(Optional<String> policyDomain, String mxHost) {
        if (scope == Scope.OPTED_OUT) {
            return HostPlan.unrecorded(mxHost, HostVerdict.observeTls(optOutReason));
        }
        if (scope == Scope.NOT_APPLIED || policyDomain.isEmpty()) {
            return HostPlan.unrecorded(mxHost, HostVerdict.stock());
        }
        String domain = policyDomain.get();
        Optional<DomainOverride> override = Optional.ofNullable(overrides.get(domain));
        if (override.equals(Optional.of(DomainOverride.DISABLE))) {
            return HostPlan.unrecorded(mxHost, HostVerdict.stock());
        }
        PolicyDecision decision = decisions.get(domain);
        if (decision == null) {
            // Never fail open: a host whose policy domain was not decided for this attempt is not used now.
            return HostPlan.unrecorded(mxHost, HostVerdict.refuse(Optional.empty(), "no MTA-STS decision for "
                + domain + " in this delivery attempt"));
        }
        return HostPlan.recorded(mxHost, MxCheck.check(decision, override, mxHost), decision,
            MxCheck.appliedMode(decision, override));
    }

    /** The decided policy domains and their decisions. */
    public Map<String, PolicyDecision> decisions() {
        return decisions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailDecisions)) {
            return false;
        }
        MailDecisions that = (MailDecisions) o;
        return scope == that.scope && optOutReason.equals(that.optOutReason) && decisions.equals(that.decisions)
            && overrides.equals(that.overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, optOutReason, decisions, overrides);
    }

    @Override
    public String toString() {
        return scope == Scope.OPTED_OUT ? "opted out (" + optOutReason + ")"
            : scope == Scope.NOT_APPLIED ? "MTA-STS off" : decisions.values() + " overrides " + overrides;
    }
}
