package io.github.jamesmtasts.tlsrpt.classify;

import java.io.IOException;

/**
 * The receiving MX sent a reply longer than our bound (RFC 5321 4.5.3.1.5: a reply line is at most 512 octets).
 * An {@link IOException} on purpose: a delivery loop that moves to the next MX host on I/O problems treats such a
 * host as unreachable for this attempt. After TLS it is recorded as {@code validation-failure} with the reason code
 * {@value #REASON_CODE}; before TLS the session never got to TLS and is recorded as {@code starttls-not-supported}.
 */
public class ReplyTooLongException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The {@code failure-reason-code} of a session ended by this bound. */
    public static final String REASON_CODE = "reply-too-long";

    public ReplyTooLongException(String message) {
        super(message);
    }
}
