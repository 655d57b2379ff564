package io.github.jamesmtasts.tlsrpt.classify;

import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.NetworkText;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * A refused server certificate whose RFC 8460 4.3 result type is decided where it is refused: a trust manager with a
 * policy of its own (DANE, RFC 7672) knows whether no TLSA record matched ({@code tlsa-invalid}, RFC 8460 4.3.2.1) or
 * the certificate failed a check that a negotiation failure type names (RFC 8460 4.3.1). {@link TlsFailureClassifier}
 * takes type and reason code from it as they are, before its generic certificate mapping. A
 * {@link CertificateException} so that JSSE fails the handshake with it as the cause.
 */
public class ClassifiedCertificateException extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** Longest {@code failure-reason-code} kept (H4). */
    public static final int MAX_REASON_CODE = 160;

    private final ResultType resultType;
    private final String failureReasonCode;

    /**
     * @param failureReasonCode our short token for RFC 8460 4.3 {@code failure-reason-code}; cleaned to printable
     *     ASCII and cut to {@value #MAX_REASON_CODE} characters here
     */
    public ClassifiedCertificateException(ResultType resultType, Optional<String> failureReasonCode, String message) {
        this(resultType, failureReasonCode, message, null);
    }

    public ClassifiedCertificateException(ResultType resultType, Optional<String> failureReasonCode, String message,
                                          Throwable cause) {
        super(message, cause);
        this.resultType = Objects.requireNonNull(resultType);
        this.failureReasonCode = failureReasonCode
            .map(code -> NetworkText.clean(code, MAX_REASON_CODE))
            .filter(code -> !code.isBlank())
            .orElse(null);
    }

    public ResultType resultType() {
        return resultType;
    }

    public Optional<String> failureReasonCode() {
        return Optional.ofNullable(failureReasonCode);
    }

    /** What {@link TlsFailureClassifier} records for a session ended by this refusal. */
    public Classification classification() {
        return failureReasonCode().map(code -> Classification.of(resultType, code))
            .orElseGet(() -> Classification.of(resultType));
    }
}
