package io.github.jamesmtasts.tlsrpt.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One message accepted by a {@link TestSmtpServer}: envelope, content and how the session was protected. */
public final class ReceivedMessage {
    private final int sessionNumber;
    private final String envelopeFrom;
    private final List<String> envelopeTo;
    private final byte[] data;
    private final Optional<String> tlsProtocol;

    ReceivedMessage(int sessionNumber, String envelopeFrom, List<String> envelopeTo, byte[] data, Optional<String> tlsProtocol) {
        this.sessionNumber = sessionNumber;
        this.envelopeFrom = Objects.requireNonNull(envelopeFrom, "envelopeFrom");
        this.envelopeTo = List.copyOf(envelopeTo);
        this.data = data.clone();
        this.tlsProtocol = Objects.requireNonNull(tlsProtocol, "tlsProtocol");
    }

    /** 1-based number of the SMTP session (connection) that carried this message. */
    public int sessionNumber() {
        return sessionNumber;
    }

    /** The MAIL FROM path without angle brackets ("" for the null reverse-path). */
    public String envelopeFrom() {
        return envelopeFrom;
    }

    /** The accepted RCPT TO paths without angle brackets. */
    public List<String> envelopeTo() {
        return envelopeTo;
    }

    /** The DATA content, dot-unstuffed, without the terminating "." line. */
    public byte[] data() {
        return data.clone();
    }

    /** The DATA content decoded as ISO-8859-1 (lossless for any byte). */
    public String dataAsString() {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    /** True when the message was received after a completed STARTTLS handshake. */
    public boolean receivedOverTls() {
        return tlsProtocol.isPresent();
    }

    /** The negotiated protocol (SSLSession.getProtocol(), e.g. "TLSv1.3") when received over TLS. */
    public Optional<String> tlsProtocol() {
        return tlsProtocol;
    }

    @Override
    public String toString() {
        return "ReceivedMessage{session=" + sessionNumber + ", from=" + envelopeFrom + ", to=" + envelopeTo
                + ", tls=" + tlsProtocol.orElse("none") + ", bytes=" + data.length + "}";
    }
}
