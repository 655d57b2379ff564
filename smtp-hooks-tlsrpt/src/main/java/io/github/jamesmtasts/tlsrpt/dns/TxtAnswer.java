package io.github.jamesmtasts.tlsrpt.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a TXT lookup answered. Each record is the concatenation of its character-strings with no
 * separator (RFC 8461 3.1, RFC 8460 3: "joined without spaces").
 */
public final class TxtAnswer {

    public enum Kind {
        /** One or more TXT records were returned. */
        FOUND,
        /** NXDOMAIN or NODATA: the name authoritatively has no TXT record. */
        NOT_FOUND,
        /** SERVFAIL, timeout, network error: nothing can be concluded; try again later. */
        TEMPORARY_FAILURE
    }

    private final Kind kind;
    private final List<String> records;
    private final Optional<Duration> ttl;
    private final Optional<String> failureReason;

    private TxtAnswer(Kind kind, List<String> records, Optional<Duration> ttl, Optional<String> failureReason) {
        this.kind = kind;
        this.records = List.copyOf(records);
        this.ttl = ttl;
        this.failureReason = failureReason;
    }

    public static TxtAnswer found(List<String> records, Duration ttl) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a FOUND answer needs at least one record");
        }
        return new TxtAnswer(Kind.FOUND, records, Optional.of(ttl), Optional.empty());
    }

    public static TxtAnswer notFound() {
        return new TxtAnswer(Kind.NOT_FOUND, List.of(), Optional.empty(), Optional.empty());
    }

    public static TxtAnswer temporaryFailure(String reason) {
        return new TxtAnswer(Kind.TEMPORARY_FAILURE, List.of(), Optional.empty(), Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    /** The joined records; empty unless {@link Kind#FOUND}. */
    public List<String> records() {
        return records;
    }

    /** Smallest TTL of the answer; present only for {@link Kind#FOUND}. */
    public Optional<Duration> ttl() {
        return ttl;
    }

    /** Why the lookup failed; present only for {@link Kind#TEMPORARY_FAILURE}. */
    public Optional<String> failureReason() {
        return failureReason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TxtAnswer)) {
            return false;
        }
        TxtAnswer that = (TxtAnswer) o;
        return kind == that.kind && records.equals(that.records) && ttl.equals(that.ttl)
            && failureReason.equals(that.failureReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, records, ttl, failureReason);
    }

    @Override
    public String toString() {
        return "TxtAnswer{" + kind + ", " + records + ttl.map(t -> ", ttl=" + t).orElse("")
            + failureReason.map(r -> ", " + r).orElse("") + "}";
    }
}
