package io.github.jamesmtasts.tlsrpt.classify;

import java.io.IOException;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/**
 * No TLS session could be started with the receiving MX although TLS was required or attempted (RFC 8460 4.3.1
 * {@code starttls-not-supported}): STARTTLS was not offered, or the MX refused or dropped the session before TLS
 * (greeting, EHLO, STARTTLS). An {@link IOException} on purpose: a delivery loop that moves to the next MX host on I/O
 * problems treats such a host as unreachable, which is what RFC 8461 5 asks for under {@code enforce}.
 */
public class StartTlsNotSupportedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Longest {@code failure-reason-code} kept (H4: it may quote text the MX chose). */
    public static final int MAX_REASON_CODE = 160;

    private final String failureReasonCode;

    /** STARTTLS was not offered: no reason code beyond the result type. */
    public StartTlsNotSupportedException(String message) {
        this(message, null);
    }

    /**
     * @param failureReasonCode what happened before TLS, e.g. {@code "starttls-refused: 454 4.7.0 TLS not available"};
     *     cleaned to printable ASCII and cut to {@value #MAX_REASON_CODE} characters here
     */
    public StartTlsNotSupportedException(String message, String failureReasonCode) {
        super(message);
        this.failureReasonCode = failureReasonCode == null ? null
            : NetworkText.clean(failureReasonCode, MAX_REASON_CODE);
    }

    public Optional<String> failureReasonCode() {
        return Optional.ofNullable(failureReasonCode).filter(code -> !code.isBlank());
    }
}
