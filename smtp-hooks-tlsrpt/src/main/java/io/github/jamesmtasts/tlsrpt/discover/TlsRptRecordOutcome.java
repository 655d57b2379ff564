package io.github.jamesmtasts.tlsrpt.discover;

import java.util.Objects;
import java.util.Optional;

/**
 * What parsing or looking up {@code _smtp._tls.<domain>} concluded (RFC 8460 3). Only {@link Kind#VALID} carries a
 * record. {@link Kind#DNS_ERROR} is temporary: the report must be kept and the lookup tried again later, never
 * dropped as if the domain did not want reports.
 */
public final class TlsRptRecordOutcome {

    public enum Kind {
        /** Exactly one record starting with {@code v=TLSRPTv1}, valid, with at least one usable URI. */
        VALID,
        /** No TXT record, or none starting with {@code v=TLSRPTv1}: the domain wants no reports. */
        ABSENT,
        /** Exactly one TLS-RPT record, and it is malformed or names no mailto:/https: URI. */
        INVALID,
        /** More than one record starting with {@code v=TLSRPTv1} (RFC 8460 3: exactly one must remain). */
        MULTIPLE,
        /** The DNS lookup failed temporarily. */
        DNS_ERROR
    }

    private final Kind kind;
    private final Optional<TlsRptRecord> record;
    private final Optional<String> reason;

    private TlsRptRecordOutcome(Kind kind, Optional<TlsRptRecord> record, Optional<String> reason) {
        this.kind = kind;
        this.record = record;
        this.reason = reason;
    }

    public static TlsRptRecordOutcome valid(TlsRptRecord record) {
        return new TlsRptRecordOutcome(Kind.VALID, Optional.of(record), Optional.empty());
    }

    public static TlsRptRecordOutcome absent() {
        return new TlsRptRecordOutcome(Kind.ABSENT, Optional.empty(), Optional.empty());
    }

    public static TlsRptRecordOutcome invalid(String reason) {
        return new TlsRptRecordOutcome(Kind.INVALID, Optional.empty(), Optional.of(reason));
    }

    public static TlsRptRecordOutcome multiple(String reason) {
        return new TlsRptRecordOutcome(Kind.MULTIPLE, Optional.empty(), Optional.of(reason));
    }

    public static TlsRptRecordOutcome dnsError(String reason) {
        return new TlsRptRecordOutcome(Kind.DNS_ERROR, Optional.empty(), Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<TlsRptRecord> record() {
        return record;
    }

    /** Why the outcome is INVALID, MULTIPLE or DNS_ERROR, naming the domain and what to fix where known. */
    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlsRptRecordOutcome)) {
            return false;
        }
        TlsRptRecordOutcome that = (TlsRptRecordOutcome) o;
        return kind == that.kind && record.equals(that.record) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, record, reason);
    }

    @Override
    public String toString() {
        return "TlsRptRecordOutcome{" + kind + record.map(r -> " " + r).orElse("") + reason.map(r -> " " + r).orElse("")
            + "}";
    }
}
