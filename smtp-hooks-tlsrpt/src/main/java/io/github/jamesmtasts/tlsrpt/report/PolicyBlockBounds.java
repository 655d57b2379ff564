package io.github.jamesmtasts.tlsrpt.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;

/**
 * Design H5: a report carries the recipient's own policy back to it ({@code policy-string}, {@code mx-host}, RFC 8460
 * 4.4), text the recipient controls. Each list is cut to a bound before it goes into a report, so that a hostile
 * policy cannot make our reports (and the mails carrying them) arbitrarily large. A policy within the RFC 8461 limits
 * we enforce (64 KiB policy body) fits the byte bound; the line bounds cut only pathological policies.
 * Lines are kept whole and in order: a list is cut after the last element that fits.
 */
public final class PolicyBlockBounds {

    /** Total UTF-8 bytes of all {@code policy-string} elements of one policy block: the policy body cap. */
    public static final int MAX_POLICY_STRING_BYTES = 64 * 1024;
    /** Elements of {@code policy-string} in one policy block. */
    public static final int MAX_POLICY_STRING_LINES = 1_000;
    /** Elements of {@code mx-host} in one policy block. */
    public static final int MAX_MX_HOSTS = 100;
    /** Total UTF-8 bytes of all {@code mx-host} elements of one policy block. */
    public static final int MAX_MX_HOST_BYTES = 16 * 1024;

    private PolicyBlockBounds() {
    }

    /** {@code policy} itself when within the bounds, else a copy with its lists cut to them. */
    public static ReportPolicy bounded(ReportPolicy policy) {
        List<String> strings = cut(policy.policyStrings(), MAX_POLICY_STRING_LINES, MAX_POLICY_STRING_BYTES);
        List<String> mxHosts = cut(policy.mxHosts(), MAX_MX_HOSTS, MAX_MX_HOST_BYTES);
        if (strings.size() == policy.policyStrings().size() && mxHosts.size() == policy.mxHosts().size()) {
            return policy;
        }
        return ReportPolicy.of(policy.policyType(), policy.policyDomain(), strings, mxHosts);
    }

    private static List<String> cut(List<String> values, int maxCount, int maxBytes) {
        List<String> kept = new ArrayList<>();
        long bytes = 0;
        for (String value : values) {
            bytes += value.getBytes(StandardCharsets.UTF_8).length;
            if (kept.size() == maxCount || bytes > maxBytes) {
                break;
            }
            kept.add(value);
        }
        return kept;
    }
}
