package io.github.jamesmtasts.tlsrpt.dns;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a TXT record of one RFC-defined type concluded, for {@code _mta-sts} (RFC 8461 3.1) and {@code _smtp._tls}
 * (RFC 8460 3) alike: the outcome of a record's own syntax ({@link Kind#VALID} or {@link Kind#INVALID}; {@link
 * Kind#ABSENT} for text of another type) and of a whole lookup ({@link TxtRecordLookup}). Only {@link Kind#VALID}
 * carries a record. {@link Kind#DNS_ERROR} is temporary and must never be taken as "no record": RFC 8461 forbids
 * treating it as "no policy", and a report must be kept, not dropped.
 *
 * @param <R> the record type, e.g. {@code StsRecord} or {@code TlsRptRecord}
 */
public final class TxtRecordOutcome<R> {

    public enum Kind {
        /** Exactly one record of the type, and it follows its RFC's syntax. */
        VALID,
        /** No TXT record, or none of the type (both RFCs discard records not starting with their version). */
        ABSENT,
        /** Exactly one record of the type, and it is malformed: the domain must fix it. */
        INVALID,
        /** More than one record of the type (both RFCs: exactly one must remain, else there is none). */
        MULTIPLE,
        /** The DNS lookup failed temporarily: try again later. */
        DNS_ERROR
    }

    private final Kind kind;
    private final Optional<R> record;
    private final Optional<Duration> ttl;
    private final Optional<String> reason;

    private TxtRecordOutcome(Kind kind, Optional<R> record, Optional<Duration> ttl, Optional<String> reason) {
        this.kind = kind;
        this.record = record;
        this.ttl = ttl;
        this.reason = reason;
    }

    /** A record that follows its syntax, as a parser sees it (no DNS answer, so no TTL). */
    public static <R> TxtRecordOutcome<R> valid(R record) {
        return new TxtRecordOutcome<>(Kind.VALID, Optional.of(record), Optional.empty(), Optional.empty());
    }

    /** The one valid record found in a DNS answer, with the answer's TTL. */
    public static <R> TxtRecordOutcome<R> valid(R record, Duration ttl) {
        return new TxtRecordOutcome<>(Kind.VALID, Optional.of(record), Optional.of(ttl), Optional.empty());
    }

    public static <R> TxtRecordOutcome<R> absent() {
        return new TxtRecordOutcome<>(Kind.ABSENT, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static <R> TxtRecordOutcome<R> invalid(String reason) {
        return new TxtRecordOutcome<>(Kind.INVALID, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    public static <R> TxtRecordOutcome<R> multiple(String reason) {
        return new TxtRecordOutcome<>(Kind.MULTIPLE, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    public static <R> TxtRecordOutcome<R> dnsError(String reason) {
        return new TxtRecordOutcome<>(Kind.DNS_ERROR, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<R> record() {
        return record;
    }

    /** The DNS TTL of a valid record found by a lookup; empty for a parser's outcome. */
    public Optional<Duration> ttl() {
        return ttl;
    }

    /** Why the outcome is INVALID, MULTIPLE or DNS_ERROR, naming the DNS name and what to fix where known. */
    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TxtRecordOutcome)) {
            return false;
        }
        TxtRecordOutcome<?> that = (TxtRecordOutcome<?>) o;
        return kind == that.kind && record.equals(that.record) && ttl.equals(that.ttl) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, record, ttl, reason);
    }

    @Override
    public String toString() {
        return "TxtRecordOutcome{" + kind + record.map(r -> " " + r).orElse("") + reason.map(r -> " " + r).orElse("")
            + "}";
    }
}
