package io.github.jamesmtasts.mtasts.dane;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * What {@link TlsaMatcher} concluded about one presented certificate chain (RFC 7672 3): the usable TLSA record that
 * authenticated it and the depth of the certificate it matched, or the RFC 8460 result type of the refusal with a
 * reason code and a sentence for logs. Immutable.
 */
public final class DaneMatch {

    private final Optional<TlsaRecord> record;
    private final int depth;
    private final Optional<ResultType> failure;
    private final Optional<String> failureReasonCode;
    private final String detail;

    private DaneMatch(Optional<TlsaRecord> record, int depth, Optional<ResultType> failure,
                      Optional<String> failureReasonCode, String detail) {
        this.record = Objects.requireNonNull(record);
        this.depth = depth;
        this.failure = Objects.requireNonNull(failure);
        this.failureReasonCode = Objects.requireNonNull(failureReasonCode);
        this.detail = Objects.requireNonNull(detail);
    }

    /** @param depth the chain index of the matched certificate: 0 for DANE-EE(3), the trust anchor's for DANE-TA(2) */
    public static DaneMatch matched(TlsaRecord record, int depth, String detail) {
        return new DaneMatch(Optional.of(record), depth, Optional.empty(), Optional.empty(), detail);
    }

    public static DaneMatch failed(ResultType failure, Optional<String> failureReasonCode, String detail) {
        return new DaneMatch(Optional.empty(), -1, Optional.of(failure), failureReasonCode, detail);
    }

    public boolean isMatch() {
        return record.isPresent();
    }

    /** The record that authenticated the chain; empty for a refusal. */
    public Optional<TlsaRecord> record() {
        return record;
    }

    /** The chain index of the certificate the record matched; -1 for a refusal. */
    public int depth() {
        return depth;
    }

    /** For a refusal: what TLS-RPT records for the session. */
    public Optional<ResultType> failure() {
        return failure;
    }

    /** For a refusal: our RFC 8460 4.3 {@code failure-reason-code}, when the result type alone says too little. */
    public Optional<String> failureReasonCode() {
        return failureReasonCode;
    }

    /** A sentence naming the host and what matched or what to fix. */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaneMatch)) {
            return false;
        }
        DaneMatch that = (DaneMatch) o;
        return depth == that.depth && record.equals(that.record) && failure.equals(that.failure)
            && failureReasonCode.equals(that.failureReasonCode) && detail.equals(that.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(record, depth, failure, failureReasonCode, detail);
    }

    @Override
    public String toString() {
        return isMatch() ? "DaneMatch{" + record.get() + " at depth " + depth + "}"
            : "DaneMatch{" + failure.get().token() + failureReasonCode.map(c -> " (" + c + ")").orElse("") + ": "
                + detail + "}";
    }
}
