package io.github.jamesmtasts.mtasts.dane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * What DANE (RFC 7672 2.2.1) says about one recipient domain: whether its MX RRset (or, without MX records, its own
 * address records) validated as secure, and then the state of every MX host. Immutable.
 */
public final class DaneDomain {

    public enum Kind {
        /** DANE does not apply to the domain: its MX RRset is insecure, or DANE is off for it. */
        NOT_APPLICABLE,
        /** The MX lookup was bogus or failed (RFC 7672 2.2.1): no MX host of the domain is used now (temporary). */
        UNUSABLE,
        /** The MX RRset is secure: each host has its {@link MxDane}. */
        SECURE
    }

    private final DomainName domain;
    private final Kind kind;
    private final Map<DomainName, MxDane> hosts;
    private final Optional<ResultType> failure;
    private final String reason;

    private DaneDomain(DomainName domain, Kind kind, Map<DomainName, MxDane> hosts, Optional<ResultType> failure,
                       String reason) {
        this.domain = Objects.requireNonNull(domain);
        this.kind = Objects.requireNonNull(kind);
        this.hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        this.failure = Objects.requireNonNull(failure);
        this.reason = Objects.requireNonNull(reason);
    }

    public static DaneDomain notApplicable(DomainName domain, String reason) {
        return new DaneDomain(domain, Kind.NOT_APPLICABLE, Map.of(), Optional.empty(), reason);
    }

    /** @param failure {@link ResultType#DNSSEC_INVALID} as a rule (RFC 8460 4.3.2.1) */
    public static DaneDomain unusable(DomainName domain, ResultType failure, String reason) {
        return new DaneDomain(domain, Kind.UNUSABLE, Map.of(), Optional.of(failure), reason);
    }

    /** @param hosts every MX host of the secure RRset in preference order (or the domain itself as implicit MX) */
    public static DaneDomain secure(DomainName domain, List<MxDane> hosts) {
        Map<DomainName, MxDane> byHost = new LinkedHashMap<>();
        for (MxDane host : hosts) {
            byHost.putIfAbsent(host.mxHost(), host);
        }
        return new DaneDomain(domain, Kind.SECURE, byHost, Optional.empty(), "secure MX RRset");
    }

    public DomainName domain() {
        return domain;
    }

    public Kind kind() {
        return kind;
    }

    /** For SECURE: every host of the validated MX RRset, in preference order. */
    public Map<DomainName, MxDane> hosts() {
        return hosts;
    }

    /** For SECURE: the state of {@code mxHost}; empty when the host is not in the validated MX RRset. */
    public Optional<MxDane> host(DomainName mxHost) {
        return Optional.ofNullable(hosts.get(mxHost));
    }

    public Optional<ResultType> failure() {
        return failure;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaneDomain)) {
            return false;
        }
        DaneDomain that = (DaneDomain) o;
        return domain.equals(that.domain) && kind == that.kind && hosts.equals(that.hosts)
            && failure.equals(that.failure) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, kind, hosts, failure, reason);
    }

    @Override
    public String toString() {
        return "DaneDomain{" + domain + " " + kind + (hosts.isEmpty() ? "" : " " + hosts.values()) + " (" + reason
            + ")}";
    }
}
