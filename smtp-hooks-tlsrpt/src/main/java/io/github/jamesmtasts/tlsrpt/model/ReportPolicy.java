package io.github.jamesmtasts.tlsrpt.model;

import java.util.List;
import java.util.Objects;

/**
 * The {@code policy} block of an RFC 8460 report (4.4): what policy was applied to a session.
 * Sessions are aggregated per distinct value of this block (per policy domain and day).
 */
public final class ReportPolicy {

    private final PolicyType policyType;
    private final String policyDomain;
    private final List<String> policyStrings;
    private final List<String> mxHosts;

    private ReportPolicy(PolicyType policyType, String policyDomain, List<String> policyStrings, List<String> mxHosts) {
        this.policyType = Objects.requireNonNull(policyType);
        this.policyDomain = normalizeDomain(policyDomain);
        this.policyStrings = List.copyOf(policyStrings);
        this.mxHosts = List.copyOf(mxHosts);
    }

    /**
     * An MTA-STS policy.
     *
     * @param policyLines one element per line of the fetched policy text (RFC 8460 4.4 {@code policy-string})
     * @param mxPatterns the policy's {@code mx} values ({@code mx-host})
     */
    public static ReportPolicy sts(String policyDomain, List<String> policyLines, List<String> mxPatterns) {
        return new ReportPolicy(PolicyType.STS, policyDomain, policyLines, mxPatterns);
    }

    /** The recipient domain publishes no policy (RFC 8460 4.4 {@code no-policy-found}). */
    public static ReportPolicy noPolicyFound(String policyDomain) {
        return new ReportPolicy(PolicyType.NO_POLICY_FOUND, policyDomain, List.of(), List.of());
    }

    public static ReportPolicy of(PolicyType type, String policyDomain, List<String> policyStrings, List<String> mxHosts) {
        return new ReportPolicy(type, policyDomain, policyStrings, mxHosts);
    }

    private static String normalizeDomain(String domain) {
        String d = DomainName.keyOf(Objects.requireNonNull(domain));
        if (d.isEmpty()) {
            throw new IllegalArgumentException("policy domain must not be empty");
        }
        return d;
    }

    public PolicyType policyType() {
        return policyType;
    }

    /** Lower case, no trailing dot, A-labels. */
    public String policyDomain() {
        return policyDomain;
    }

    public List<String> policyStrings() {
        return policyStrings;
    }

    public List<String> mxHosts() {
        return mxHosts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportPolicy)) {
            return false;
        }
        ReportPolicy that = (ReportPolicy) o;
        return policyType == that.policyType && policyDomain.equals(that.policyDomain)
            && policyStrings.equals(that.policyStrings) && mxHosts.equals(that.mxHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policyType, policyDomain, policyStrings, mxHosts);
    }

    @Override
    public String toString() {
        return "ReportPolicy{" + policyType.token() + " " + policyDomain + " mx=" + mxHosts + "}";
    }
}
