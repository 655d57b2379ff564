package io.github.jamesmtasts.mtasts.policy;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.DomainPattern;

/**
 * One {@code mx} value of a policy (RFC 8461 3.2): a domain in A-labels, optionally with {@code *.} as
 * its whole left-most label. Matching follows RFC 8461 4.1: case-insensitive, trailing dot ignored, and the
 * wildcard stands for exactly one label; the MX host is a {@link DomainName}, folded that way when it was parsed.
 */
public final class MxPattern {

    private final DomainPattern pattern;

    private MxPattern(DomainPattern pattern) {
        this.pattern = pattern;
    }

    /**
     * @return the pattern, or empty when {@code value} is not a valid mx value: IP literals, {@code *.*},
     *     inner wildcards, non-ASCII (U-labels), single labels and malformed labels are all refused.
     */
    public static Optional<MxPattern> parse(String value) {
        return DomainPattern.parse(value).map(MxPattern::new);
    }

    public static MxPattern of(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("invalid mx pattern: " + value));
    }

    /** RFC 8461 4.1: does the MX host name {@code host} match this pattern? */
    public boolean matches(DomainName host) {
        return pattern.matches(host);
    }

    public boolean isWildcard() {
        return pattern.isWildcard();
    }

    /** The pattern as written in a policy, normalised: lower case, no trailing dot. */
    public String value() {
        return pattern.value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MxPattern && pattern.equals(((MxPattern) o).pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern);
    }

    @Override
    public String toString() {
        return value();
    }
}
