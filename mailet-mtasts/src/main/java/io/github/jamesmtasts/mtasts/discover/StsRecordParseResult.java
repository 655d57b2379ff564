package io.github.jamesmtasts.mtasts.discover;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link StsRecordParser} made of one joined TXT record. RFC 8461 3.1 needs three answers, not two: a record
 * that is not an STS record at all is discarded before counting, while a malformed STS record counts (and then
 * makes the domain have no usable record).
 */
public final class StsRecordParseResult {

    public enum Kind {
        /** A well-formed STS record. */
        VALID,
        /** Does not start with {@code v=STSv1}: some other TXT record, to be discarded (RFC 8461 3.1). */
        NOT_STS,
        /** Starts with {@code v=STSv1} but does not follow the ABNF. */
        INVALID
    }

    private final Kind kind;
    private final Optional<StsRecord> record;
    private final Optional<String> reason;

    private StsRecordParseResult(Kind kind, Optional<StsRecord> record, Optional<String> reason) {
        this.kind = kind;
        this.record = record;
        this.reason = reason;
    }

    public static StsRecordParseResult valid(StsRecord record) {
        return new StsRecordParseResult(Kind.VALID, Optional.of(record), Optional.empty());
    }

    public static StsRecordParseResult notSts() {
        return new StsRecordParseResult(Kind.NOT_STS, Optional.empty(), Optional.empty());
    }

    public static StsRecordParseResult invalid(String reason) {
        return new StsRecordParseResult(Kind.INVALID, Optional.empty(), Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<StsRecord> record() {
        return record;
    }

    /** Why an INVALID record was refused, naming the offending field. */
    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StsRecordParseResult)) {
            return false;
        }
        StsRecordParseResult that = (StsRecordParseResult) o;
        return kind == that.kind && record.equals(that.record) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, record, reason);
    }

    @Override
    public String toString() {
        return "StsRecordParseResult{" + kind + record.map(r -> " " + r).orElse("") + reason.map(r -> " " + r).orElse("") + "}";
    }
}
