package io.github.jamesmtasts.mtasts.dane;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** What DANE (RFC 7672) says about one MX host of a domain whose MX RRset validated as secure. Immutable. */
public final class MxDane {

    public enum Kind {
        /** RFC 7672 2.2: no secure TLSA RRset (insecure address or TLSA answer, secure denial): DANE does not apply. */
        NOT_APPLICABLE,
        /** RFC 7672 2.2, 3.1: usable TLSA records: STARTTLS, TLS 1.2+, the certificate must match one of them. */
        AUTHENTICATE,
        /** RFC 7672 2.2 (Postfix "encrypt"): a secure TLSA RRset with no usable record: STARTTLS required, no match. */
        ENCRYPT_ONLY,
        /** RFC 7672 2.1.1: a bogus or failed lookup of the host's addresses or TLSA records: not used now (temporary). */
        UNUSABLE
    }

    private final DomainName mxHost;
    private final Kind kind;
    private final DomainName tlsaBase;
    private final List<TlsaRecord> records;
    private final Optional<ResultType> failure;
    private final String reason;

    private MxDane(DomainName mxHost, Kind kind, DomainName tlsaBase, List<TlsaRecord> records,
                   Optional<ResultType> failure, String reason) {
        this.mxHost = Objects.requireNonNull(mxHost);
        this.kind = Objects.requireNonNull(kind);
        this.tlsaBase = Objects.requireNonNull(tlsaBase);
        this.records = List.copyOf(records);
        this.failure = Objects.requireNonNull(failure);
        this.reason = Objects.requireNonNull(reason);
    }

    public static MxDane notApplicable(DomainName mxHost, String reason) {
        return new MxDane(mxHost, Kind.NOT_APPLICABLE, mxHost, List.of(), Optional.empty(), reason);
    }

    /**
     * @param tlsaBase the name the TLSA records were found under ({@code _25._tcp.<tlsaBase>}, RFC 7672 2.2.3): the
     *                 MX host, or its secure CNAME target; a reference identifier for DANE-TA(2) (RFC 7672 3.2.3)
     * @param records the whole secure TLSA RRset (usable or not): the TLS-RPT {@code policy-string}
     */
    public static MxDane secureTlsa(DomainName mxHost, DomainName tlsaBase, List<TlsaRecord> records) {
        boolean anyUsable = records.stream().anyMatch(TlsaRecord::usable);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an empty TLSA RRset is a denial: use notApplicable");
        }
        return new MxDane(mxHost, anyUsable ? Kind.AUTHENTICATE : Kind.ENCRYPT_ONLY, tlsaBase, records,
            Optional.empty(), anyUsable ? "usable TLSA records" : "TLSA records, none usable");
    }

    /**
     * @param failure {@link ResultType#DNSSEC_INVALID} for a bogus or indeterminate answer, {@link
     *                ResultType#TLSA_INVALID} for a secure TLSA RRset that cannot be used (RFC 8460 4.3.2.1)
     */
    public static MxDane unusable(DomainName mxHost, ResultType failure, String reason) {
        return new MxDane(mxHost, Kind.UNUSABLE, mxHost, List.of(), Optional.of(failure), reason);
    }

    public DomainName mxHost() {
        return mxHost;
    }

    public Kind kind() {
        return kind;
    }

    public DomainName tlsaBase() {
        return tlsaBase;
    }

    /** The secure TLSA RRset as published (usable or not); empty unless AUTHENTICATE or ENCRYPT_ONLY. */
    public List<TlsaRecord> records() {
        return records;
    }

    /** The usable records of {@link #records()} (RFC 7672 3.1). */
    public List<TlsaRecord> usableRecords() {
        return records.stream().filter(TlsaRecord::usable).collect(java.util.stream.Collectors.toUnmodifiableList());
    }

    /** For UNUSABLE: what TLS-RPT records for the host. */
    public Optional<ResultType> failure() {
        return failure;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MxDane)) {
            return false;
        }
        MxDane that = (MxDane) o;
        return mxHost.equals(that.mxHost) && kind == that.kind && tlsaBase.equals(that.tlsaBase)
            && records.equals(that.records) && failure.equals(that.failure) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mxHost, kind, tlsaBase, records, failure, reason);
    }

    @Override
    public String toString() {
        return "MxDane{" + mxHost + " " + kind + (records.isEmpty() ? "" : " " + records)
            + failure.map(f -> " " + f.token()).orElse("") + " (" + reason + ")}";
    }
}
