package io.github.jamesmtasts.tlsrpt.classify;

import java.security.cert.CertificateException;

/**
 * The server certificate chains to a trusted root but names none of the host names it was checked against
 * (RFC 8461 4.2: a DNS-ID matching the MX host name is required). JSSE reports a failed identity check as a
 * plain {@link CertificateException}; trust managers throw this subclass instead so that
 * {@link TlsFailureClassifier} can tell {@code certificate-host-mismatch} apart without reading messages.
 */
public class CertificateHostMismatchException extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** @param message names the host the certificate had to name (the user reads it in logs and reports) */
    public CertificateHostMismatchException(String message) {
        super(message);
    }

    public CertificateHostMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
