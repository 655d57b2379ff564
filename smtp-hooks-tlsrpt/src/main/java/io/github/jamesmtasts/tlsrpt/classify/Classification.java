package io.github.jamesmtasts.tlsrpt.classify;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** What {@link TlsFailureClassifier} made of a failed session: an RFC 8460 result type and, when useful, a reason code. */
public final class Classification {

    private final ResultType resultType;
    private final Optional<String> failureReasonCode;

    private Classification(ResultType resultType, Optional<String> failureReasonCode) {
        this.resultType = Objects.requireNonNull(resultType);
        this.failureReasonCode = failureReasonCode;
    }

    public static Classification of(ResultType resultType) {
        return new Classification(resultType, Optional.empty());
    }

    public static Classification of(ResultType resultType, String failureReasonCode) {
        return new Classification(resultType, Optional.of(failureReasonCode));
    }

    public ResultType resultType() {
        return resultType;
    }

    /** RFC 8460 4.3 {@code failure-reason-code}: our own short token, stable across releases. */
    public Optional<String> failureReasonCode() {
        return failureReasonCode;
    }

    /** A details builder pre-filled with result type and reason code; the caller adds the session's addresses. */
    public FailureDetails.Builder toDetails() {
        FailureDetails.Builder builder = FailureDetails.builder(resultType);
        failureReasonCode.ifPresent(builder::failureReasonCode);
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Classification)) {
            return false;
        }
        Classification that = (Classification) o;
        return resultType == that.resultType && failureReasonCode.equals(that.failureReasonCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resultType, failureReasonCode);
    }

    @Override
    public String toString() {
        return resultType.token() + failureReasonCode.map(c -> " (" + c + ")").orElse("");
    }
}
