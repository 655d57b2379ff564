package io.github.jamesmtasts.mtasts.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The MX hosts of a domain in preference order (RFC 5321 5.1), or why there are none. Immutable. */
public final class MxLookupResult {

    public enum Kind {
        /** MX records found. */
        FOUND,
        /** No MX record: the domain itself is the implicit MX (RFC 5321 5.1). */
        IMPLICIT,
        /** A single MX record with target "." (RFC 7505): the domain accepts no mail. */
        NULL_MX,
        /** The domain does not exist (NXDOMAIN). */
        NO_DOMAIN,
        /** The lookup failed temporarily: nothing is known. */
        DNS_ERROR
    }

    private final Kind kind;
    private final List<MxHost> hosts;
    private final Optional<String> error;

    private MxLookupResult(Kind kind, List<MxHost> hosts, Optional<String> error) {
        this.kind = kind;
        this.hosts = List.copyOf(hosts);
        this.error = error;
    }

    public static MxLookupResult found(List<MxHost> hosts) {
        return new MxLookupResult(Kind.FOUND, hosts, Optional.empty());
    }

    public static MxLookupResult implicit(MxHost domainItself) {
        return new MxLookupResult(Kind.IMPLICIT, List.of(domainItself), Optional.empty());
    }

    public static MxLookupResult nullMx(String domain) {
        return new MxLookupResult(Kind.NULL_MX, List.of(), Optional.of(domain + " publishes a null MX (RFC 7505): "
            + "it accepts no mail"));
    }

    public static MxLookupResult noDomain(String domain) {
        return new MxLookupResult(Kind.NO_DOMAIN, List.of(), Optional.of(domain + " does not exist in DNS (NXDOMAIN)"));
    }

    public static MxLookupResult dnsError(String message) {
        return new MxLookupResult(Kind.DNS_ERROR, List.of(), Optional.of(message));
    }

    public Kind kind() {
        return kind;
    }

    /** In preference order, lowest first. */
    public List<MxHost> hosts() {
        return hosts;
    }

    public Optional<String> error() {
        return error;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxLookupResult)) {
            return false;
        }
        MxLookupResult that = (MxLookupResult) o;
        return kind == that.kind && hosts.equals(that.hosts) && error.equals(that.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, hosts, error);
    }

    @Override
    public String toString() {
        return "MxLookupResult{" + kind + " " + hosts + error.map(e -> " " + e).orElse("") + "}";
    }
}
