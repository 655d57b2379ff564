package io.github.jamesmtasts.mtasts.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import io.github.jamesmtasts.tlsrpt.model.DnsNames;

/**
 * One {@code mx} value of a policy (RFC 8461 3.2): a domain in A-labels, optionally with {@code *.} as
 * its whole left-most label. Matching follows RFC 8461 4.1: case-insensitive, trailing dot ignored, and the
 * wildcard stands for exactly one label.
 */
public final class MxPattern {

    // RFC 1035 label: letters, digits, hyphens; not starting or ending with a hyphen; 1-63 octets.
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final boolean wildcard;
    private final String domain;

    private MxPattern(boolean wildcard, String domain) {
        this.wildcard = wildcard;
        this.domain = domain;
    }

    /**
     * @return the pattern, or empty when {@code value} is not a valid mx value: IP literals, {@code *.*},
     *     inner wildcards, non-ASCII (U-labels), single labels and malformed labels are all refused.
     */
    public static Optional<MxPattern> parse(String value) {
        String v = DnsNames.canonical(value);
        boolean wildcard = v.startsWith("*.");
        String domain = wildcard ? v.substring(2) : v;
        if (!isDomainName(domain)) {
            return Optional.empty();
        }
        return Optional.of(new MxPattern(wildcard, domain));
    }

    public static MxPattern of(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("invalid mx pattern: " + value));
    }

    private static boolean isDomainName(String domain) {
        if (domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        String[] labels = domain.split("\\.", -1);
        // A bare label ("localhost") is not an MX host name; an all-numeric last label means an IP literal.
        if (labels.length < 2 || labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** RFC 8461 4.1: does the MX host name {@code host} match this pattern? */
    public boolean matches(String host) {
        String h = DnsNames.canonical(host);
        if (!wildcard) {
            return h.equals(domain);
        }
        // "*.example.com" matches "mx.example.com", not "example.com" nor "a.b.example.com".
        int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot + 1).equals(domain);
    }

    public boolean isWildcard() {
        return wildcard;
    }

    /** The pattern as written in a policy, normalised: lower case, no trailing dot. */
    public String value() {
        return wildcard ? "*." + domain : domain;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxPattern)) {
            return false;
        }
        MxPattern that = (MxPattern) o;
        return wildcard == that.wildcard && domain.equals(that.domain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(wildcard, domain);
    }

    @Override
    public String toString() {
        return value();
    }
}
