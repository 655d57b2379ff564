package io.github.jamesmtasts.mtasts.deliver;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * The MTA-STS decisions of ONE delivery attempt of one mail, made once before James walks the MX hosts (RFC 8461 5:
 * the policy is looked up per message, then every MX host is checked against it), and the DANE state (RFC 7672) of
 * the recipient domains DANE is on for. Each MX host of the walk gets its {@link HostPlan} from here with no lookup or
 * other I/O: {@link DaneCheck} first (RFC 8461 2: DANE takes precedence where it applies), then {@link MxCheck}.
 * Immutable; pure.
 */
public final class MailDecisions {

    private enum Scope { NOT_APPLIED, OPTED_OUT, APPLIED }

    private final Scope scope;
    private final String optOutReason;
    private final Map<DomainName, PolicyDecision> decisions;
    private final Map<DomainName, DomainOverride> overrides;
    private final Map<DomainName, DaneDomain> dane;
    private final Set<DomainName> daneRequired;

    private MailDecisions(Scope scope, String optOutReason, Map<DomainName, PolicyDecision> decisions,
                          Map<DomainName, DomainOverride> overrides, Map<DomainName, DaneDomain> dane, Set<DomainName> daneRequired) {
        this.scope = scope;
        this.optOutReason = optOutReason;
        this.decisions = Map.copyOf(decisions);
        this.overrides = Map.copyOf(overrides);
        this.dane = Map.copyOf(dane);
        this.daneRequired = Set.copyOf(daneRequired);
    }

    /** MTA-STS is switched off for the mailet: every host is delivered to as stock RemoteDelivery would. */
    public static MailDecisions notApplied() {
        return new MailDecisions(Scope.NOT_APPLIED, "", Map.of(), Map.of(), Map.of(), Set.of());
    }

    /**
     * The mail is delivered despite TLS problems and not recorded (our TLS-RPT report mails, RFC 8460 5.3; a trusted
     * {@code TLS-Required: No}, RFC 8689 5).
     */
    public static MailDecisions optedOut(String reason) {
        return new MailDecisions(Scope.OPTED_OUT, Objects.requireNonNull(reason), Map.of(), Map.of(), Map.of(),
            Set.of());
    }

    /**
     * @param decisions the decision of every policy domain of the mail MTA-STS applies to
     * @param overrides the administrator's overrides of the mail's policy domains, {@code disable} included
     */
    public static MailDecisions of(Map<DomainName, PolicyDecision> decisions, Map<DomainName, DomainOverride> overrides) {
        return of(decisions, overrides, Map.of(), Set.of());
    }

    /**
     * @param dane the DANE state of every recipient domain DANE is on (or required) for; a
     *             domain absent here gets MTA-STS only
     * @param daneRequired the domains with {@code mtasts.daneOverrides} {@code required}
     */
    public static MailDecisions of(Map<DomainName, PolicyDecision> decisions, Map<DomainName, DomainOverride> overrides,
                                   Map<DomainName, DaneDomain> dane, Set<DomainName> daneRequired) {
        return new MailDecisions(Scope.APPLIED, "", decisions, overrides, dane, daneRequired);
    }

    /**
     * @param policyDomain the host's policy domain (RFC 8461 3.4: the recipient domain, or the gateway's); empty for
     *                     address literals
     */
    public HostPlan plan(Optional<DomainName> policyDomain, String mxHost) {
        if (scope == Scope.OPTED_OUT) {
            return HostPlan.unrecorded(mxHost, HostVerdict.observeTls(optOutReason));
        }
        if (scope == Scope.NOT_APPLIED || policyDomain.isEmpty()) {
            return HostPlan.unrecorded(mxHost, HostVerdict.stock());
        }
        DomainName domain = policyDomain.get();
        DaneDomain daneDomain = dane.get(domain);
        if (daneDomain == null) {
            return mtaSts(domain, mxHost);
        }
        Optional<HostPlan> byDane = DaneCheck.check(daneDomain, daneRequired.contains(domain), mxHost);
        // RFC 8461 2: where DANE does not apply to the host, MTA-STS does (and still pins the MX set).
        return byDane.orElseGet(() -> mtaSts(domain, mxHost).withDaneState(DaneCheck.NOT_APPLICABLE));
    }

    private HostPlan mtaSts(DomainName domain, String mxHost) {
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

    /** The DANE state of the mail's recipient domains DANE is on for. */
    public Map<DomainName, DaneDomain> dane() {
        return dane;
    }

    /** The decided policy domains and their decisions. */
    public Map<DomainName, PolicyDecision> decisions() {
        return decisions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MailDecisions)) {
            return false;
        }
        MailDecisions that = (MailDecisions) o;
        return scope == that.scope && optOutReason.equals(that.optOutReason) && decisions.equals(that.decisions)
            && overrides.equals(that.overrides) && dane.equals(that.dane) && daneRequired.equals(that.daneRequired);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, optOutReason, decisions, overrides, dane, daneRequired);
    }

    @Override
    public String toString() {
        return scope == Scope.OPTED_OUT ? "opted out (" + optOutReason + ")"
            : scope == Scope.NOT_APPLIED ? "MTA-STS off" : decisions.values() + " overrides " + overrides
            + (dane.isEmpty() ? "" : " DANE " + dane.values() + (daneRequired.isEmpty() ? "" : " required " + daneRequired));
    }
}
