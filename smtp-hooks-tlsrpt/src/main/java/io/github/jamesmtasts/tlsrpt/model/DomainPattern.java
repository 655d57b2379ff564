package io.github.jamesmtasts.tlsrpt.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link DomainName}, optionally with {@code *.} as its whole left-most label: the one wildcard form that both a
 * policy's {@code mx} values (RFC 8461 3.2, matched per 4.1) and a certificate's subjectAltName DNS-IDs
 * (RFC 6125 6.4.3) allow. The {@code *} stands for exactly one label, so {@code *.example.com} matches
 * {@code mx.example.com} but neither {@code example.com} nor {@code a.mx.example.com}. Case and the root dot are
 * folded once, when parsing, by {@link DomainName}.
 */
public final class DomainPattern {

    private final boolean wildcard;
    private final DomainName domain;

    private DomainPattern(boolean wildcard, DomainName domain) {
        this.wildcard = wildcard;
        this.domain = domain;
    }

    /**
     * @return the pattern, or empty when {@code text} is none: IP literals, {@code *.*}, inner or partial-label
     *     wildcards, {@code *.com} (one label after the wildcard), single labels, malformed labels, and non-ASCII
     *     text (both RFCs write these names in A-labels; a U-label here is a malformed value, not an IDN to convert)
     */
    public static Optional<DomainPattern> parse(String text) {
        if (!DomainName.isAscii(text)) {
            return Optional.empty();
        }
        boolean wildcard = text.startsWith("*.");
        return DomainName.of(wildcard ? text.substring(2) : text).map(domain -> new DomainPattern(wildcard, domain));
    }

    /** Does {@code host} match: equal to the name, or, for a wildcard, one label in front of it? */
    public boolean matches(DomainName host) {
        return wildcard ? host.parent().filter(domain::equals).isPresent() : host.equals(domain);
    }

    public boolean isWildcard() {
        return wildcard;
    }

    /** The pattern normalised: lower-case A-labels, no root dot, {@code *.} in front of a wildcard's name. */
    public String value() {
        return wildcard ? "*." + domain.asString() : domain.asString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DomainPattern)) {
            return false;
        }
        DomainPattern that = (DomainPattern) o;
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
