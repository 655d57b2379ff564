package io.github.jamesmtasts.mtasts.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * A parsed MTA-STS policy (RFC 8461 3.2). It keeps the policy's text lines so that TLS-RPT reports can quote
 * it ({@code policy-string}, RFC 8460 4.4). Built by {@code StsPolicyParser}.
 */
public final class StsPolicy {

    private final Mode mode;
    private final Duration maxAge;
    private final List<MxPattern> mx;
    private final List<String> lines;

    private StsPolicy(Mode mode, Duration maxAge, List<MxPattern> mx, List<String> lines) {
        this.mode = Objects.requireNonNull(mode);
        this.maxAge = Objects.requireNonNull(maxAge);
        this.mx = List.copyOf(mx);
        this.lines = List.copyOf(lines);
    }

    /**
     * @param lines the policy text split into lines without their terminators (blank lines dropped), used
     *     verbatim as the report's {@code policy-string}
     */
    public static StsPolicy of(Mode mode, Duration maxAge, List<MxPattern> mx, List<String> lines) {
        return new StsPolicy(mode, maxAge, mx, lines);
    }

    public Mode mode() {
        return mode;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public List<MxPattern> mx() {
        return mx;
    }

    public List<String> lines() {
        return lines;
    }

    /** RFC 8461 4.1: the MX host is valid for this policy when any mx pattern matches it. */
    public boolean matchesMx(DomainName mxHost) {
        for (MxPattern pattern : mx) {
            if (pattern.matches(mxHost)) {
                return true;
            }
        }
        return false;
    }

    /** The RFC 8460 policy block for sessions delivered under this policy. */
    public ReportPolicy toReportPolicy(String policyDomain) {
        return ReportPolicy.sts(policyDomain, lines, mx.stream().map(MxPattern::value).collect(Collectors.toList()));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StsPolicy)) {
            return false;
        }
        StsPolicy that = (StsPolicy) o;
        return mode == that.mode && maxAge.equals(that.maxAge) && mx.equals(that.mx) && lines.equals(that.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, maxAge, mx, lines);
    }

    @Override
    public String toString() {
        return "StsPolicy{mode=" + mode.token() + ", max_age=" + maxAge.getSeconds() + ", mx=" + mx + "}";
    }
}
