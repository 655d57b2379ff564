package io.github.jamesmtasts.tlsrpt.classify;

import java.io.IOException;

/**
 * The receiving MX did not offer STARTTLS although TLS was required (RFC 8460 4.3.1
 * {@code starttls-not-supported}). An {@link IOException} on purpose: a delivery loop that moves to the next
 * MX host on I/O problems treats such a host as unreachable, which is what RFC 8461 5 asks for under
 * {@code enforce}.
 */
public class StartTlsNotSupportedException extends IOException {

    private static final long serialVersionUID = 1L;

    public StartTlsNotSupportedException(String message) {
        super(message);
    }
}
