package io.github.jamesmtasts.mtasts.discover;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What looking up {@code _mta-sts.<domain>} concluded (RFC 8461 3.1). Only {@link Kind#VALID} carries a record.
 * {@link Kind#DNS_ERROR} is temporary and must never be taken as "no policy".
 */
public final class StsRecordOutcome {

    public enum Kind {
        /** Exactly one record starting with {@code v=STSv1}, and it is valid. */
        VALID,
        /** No TXT record, or none starting with {@code v=STSv1}. */
        ABSENT,
        /** Exactly one STS record, and it is malformed (RFC 8461 3.1: treat as no record, keep the cache). */
        INVALID,
        /** More than one record starting with {@code v=STSv1} (RFC 8461 3.1: treat as no record). */
        MULTIPLE,
        /** The DNS lookup failed temporarily. */
        DNS_ERROR
    }

    private final Kind kind;
    private final Optional<StsRecord> record;
    private final Optional<Duration> ttl;
    private final Optional<String> reason;

    private StsRecordOutcome(Kind kind, Optional<StsRecord> record, Optional<Duration> ttl, Optional<String> reason) {
        this.kind = kind;
        this.record = record;
        this.ttl = ttl;
        this.reason = reason;
    }

    public static StsRecordOutcome valid(StsRecord record, Duration ttl) {
        return new StsRecordOutcome(Kind.VALID, Optional.of(record), Optional.of(ttl), Optional.empty());
    }

    public static StsRecordOutcome absent() {
        return new StsRecordOutcome(Kind.ABSENT, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static StsRecordOutcome invalid(String reason) {
        return new StsRecordOutcome(Kind.INVALID, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    public static StsRecordOutcome multiple() {
        return new StsRecordOutcome(Kind.MULTIPLE, Optional.empty(), Optional.empty(),
            Optional.of("more than one TXT record starts with v=STSv1"));
    }

    public static StsRecordOutcome dnsError(String reason) {
        return new StsRecordOutcome(Kind.DNS_ERROR, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<StsRecord> record() {
        return record;
    }

    /** The DNS TTL of a valid record. */
    public Optional<Duration> ttl() {
        return ttl;
    }

    /** A human-readable reason for INVALID, MULTIPLE and DNS_ERROR. */
    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StsRecordOutcome)) {
            return false;
        }
        StsRecordOutcome that = (StsRecordOutcome) o;
        return kind == that.kind && record.equals(that.record) && ttl.equals(that.ttl) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, record, ttl, reason);
    }

    @Override
    public String toString() {
        return "StsRecordOutcome{" + kind + record.map(r -> " " + r).orElse("") + reason.map(r -> " " + r).orElse("") + "}";
    }
}
