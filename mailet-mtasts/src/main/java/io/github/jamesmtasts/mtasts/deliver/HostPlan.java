package io.github.jamesmtasts.mtasts.deliver;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.jamesmtasts.mtasts.dane.MxDane;
import io.github.jamesmtasts.mtasts.dane.TlsaRecord;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * What one MX host of one delivery attempt gets from {@link MailDecisions}: the verdict, what to record against, and,
 * where DANE (RFC 7672) decided the host, its {@link MxDane}.
 */
public final class HostPlan {

    private final String mxHost;
    private final HostVerdict verdict;
    private final Optional<PolicyDecision> decision;
    private final Optional<Mode> appliedMode;
    private final Optional<ReportPolicy> reportPolicy;
    private final Optional<MxDane> dane;
    private final Optional<String> daneState;
    private final boolean byDane;

    private HostPlan(String mxHost, HostVerdict verdict, Optional<PolicyDecision> decision, Optional<Mode> appliedMode,
                     Optional<ReportPolicy> reportPolicy, Optional<MxDane> dane, Optional<String> daneState,
                     boolean byDane) {
        this.mxHost = Objects.requireNonNull(mxHost);
        this.verdict = Objects.requireNonNull(verdict);
        this.decision = Objects.requireNonNull(decision);
        this.appliedMode = Objects.requireNonNull(appliedMode);
        this.reportPolicy = Objects.requireNonNull(reportPolicy);
        this.dane = Objects.requireNonNull(dane);
        this.daneState = Objects.requireNonNull(daneState);
        this.byDane = byDane;
    }

    /** Nothing is recorded for this host: MTA-STS does not apply, or the mail opted out of it. */
    static HostPlan unrecorded(String mxHost, HostVerdict verdict) {
        return new HostPlan(mxHost, verdict, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), false);
    }

    static HostPlan recorded(String mxHost, HostVerdict verdict, PolicyDecision decision, Mode appliedMode) {
        return new HostPlan(mxHost, verdict, Optional.of(decision), Optional.of(appliedMode),
            Optional.of(decision.reportPolicy()), Optional.empty(), Optional.empty(), false);
    }

    /**
     * DANE decided the host (RFC 7672, RFC 8461 2: DANE takes precedence over MTA-STS where it applies).
     *
     * @param recorded whether the session is recorded for TLS-RPT, under the policy type {@code tlsa} (RFC 8460 4.4)
     *                 with the host's TLSA RRset as {@code policy-string}
     * @param state    what DANE found, for the log line ({@code authenticate}, {@code unusable}, ...)
     */
    static HostPlan dane(String mxHost, HostVerdict verdict, DomainName recipientDomain, Optional<MxDane> host,
                         boolean recorded, String state) {
        Optional<ReportPolicy> policy = recorded ? Optional.of(tlsaPolicy(recipientDomain, host, mxHost))
            : Optional.empty();
        return new HostPlan(mxHost, verdict, Optional.empty(), Optional.empty(), policy, host, Optional.of(state),
            true);
    }

    /** The same plan, noting what DANE found for a host that DANE left to MTA-STS (for the log line). */
    HostPlan withDaneState(String state) {
        return new HostPlan(mxHost, verdict, decision, appliedMode, reportPolicy, dane, Optional.of(state),
            byDane);
    }

    /**
     * RFC 8460 4.4 for DANE: {@code policy-type} {@code tlsa}, the TLSA records in presentation form as
     * {@code policy-string}, the MX host as {@code mx-host}.
     */
    static ReportPolicy tlsaPolicy(DomainName recipientDomain, Optional<MxDane> host, String mxHost) {
        List<String> records = host.map(h -> h.records().stream().map(TlsaRecord::presentation)
            .collect(Collectors.toList())).orElse(List.of());
        String mx = host.map(h -> h.mxHost().asString()).orElseGet(() -> DomainName.keyOf(mxHost));
        return ReportPolicy.of(PolicyType.TLSA, recipientDomain.asString(), records, List.of(mx));
    }

    public String mxHost() {
        return mxHost;
    }

    public HostVerdict verdict() {
        return verdict;
    }

    /**
     * The MTA-STS decision the host was checked against; empty when none applies or DANE decided the host. Only
     * refusals under this decision may make the policy look stale (docs/enforcement.md, "Stale policies").
     */
    public Optional<PolicyDecision> decision() {
        return decision;
    }

    /** The mode applied to the host (the override's, else the policy's); empty when no MTA-STS decision applies. */
    public Optional<Mode> appliedMode() {
        return appliedMode;
    }

    /** The RFC 8460 policy block the session is recorded under ({@code sts}, {@code no-policy-found} or {@code tlsa}); empty: record nothing. */
    public Optional<ReportPolicy> reportPolicy() {
        return reportPolicy;
    }

    /** The host's DANE state when DANE decided the host (its TLSA records for the certificate match). */
    public Optional<MxDane> dane() {
        return dane;
    }

    /** Whether DANE decided the host (its verdict and what it records), not MTA-STS. */
    public boolean byDane() {
        return byDane;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostPlan)) {
            return false;
        }
        HostPlan that = (HostPlan) o;
        return mxHost.equals(that.mxHost) && verdict.equals(that.verdict) && decision.equals(that.decision)
            && appliedMode.equals(that.appliedMode) && reportPolicy.equals(that.reportPolicy) && dane.equals(that.dane)
            && daneState.equals(that.daneState) && byDane == that.byDane;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mxHost, verdict, decision, appliedMode, reportPolicy, dane, daneState, byDane);
    }

    /**
     * In the documented log format (docs/mta-sts.md): {@code domain=.. policyId=.. mode=.. mx=.. verdict=..}, with
     * {@code dane=<state>} (and {@code tlsa=[..]} where DANE decided the host) when DANE was asked.
     */
    @Override
    public String toString() {
        String mtaSts = decision.map(d -> "domain=" + d.domain() + " policyId=" + d.policyId().orElse("-") + " mode="
            + appliedMode.map(Mode::token).orElse("-") + " ").orElse("");
        String daneText = daneState.map(state -> (decision.isEmpty()
            ? reportPolicy.map(p -> "domain=" + p.policyDomain() + " ").orElse("") : "") + "dane=" + state
            + dane.filter(h -> !h.records().isEmpty()).map(h -> " tlsa=" + h.records()).orElse("") + " ").orElse("");
        return mtaSts + daneText + "mx=" + mxHost + " verdict=" + verdict;
    }
}
