package io.github.jamesmtasts.tlsrpt.testing;

import java.util.Objects;
import java.util.Optional;

/** What a {@link TestSmtpServer} saw during one finished SMTP session (one connection). */
public final class SmtpSessionRecord {
    private final int number;
    private final Optional<String> ehloName;
    private final boolean startTlsRequested;
    private final Optional<String> tlsProtocol;
    private final Optional<String> serverNameIndication;
    private final Optional<String> handshakeFailure;
    private final int plaintextMailCommands;
    private final int tlsMailCommands;
    private final int messages;

    SmtpSessionRecord(int number, Optional<String> ehloName, boolean startTlsRequested, Optional<String> tlsProtocol,
            Optional<String> serverNameIndication, Optional<String> handshakeFailure, int plaintextMailCommands,
            int tlsMailCommands, int messages) {
        this.number = number;
        this.ehloName = Objects.requireNonNull(ehloName, "ehloName");
        this.startTlsRequested = startTlsRequested;
        this.tlsProtocol = Objects.requireNonNull(tlsProtocol, "tlsProtocol");
        this.serverNameIndication = Objects.requireNonNull(serverNameIndication, "serverNameIndication");
        this.handshakeFailure = Objects.requireNonNull(handshakeFailure, "handshakeFailure");
        this.plaintextMailCommands = plaintextMailCommands;
        this.tlsMailCommands = tlsMailCommands;
        this.messages = messages;
    }

    /** 1-based session number, in accept order. */
    public int number() {
        return number;
    }

    /** The last EHLO/HELO argument the client sent. */
    public Optional<String> ehloName() {
        return ehloName;
    }

    /** True when the client sent STARTTLS (whether or not the handshake then succeeded). */
    public boolean startTlsRequested() {
        return startTlsRequested;
    }

    /** The negotiated TLS protocol when the STARTTLS handshake completed. */
    public Optional<String> tlsProtocol() {
        return tlsProtocol;
    }

    /** The SNI host name the client presented in its ClientHello, if any. */
    public Optional<String> serverNameIndication() {
        return serverNameIndication;
    }

    /** The server-side exception text when the STARTTLS handshake failed (e.g. the client rejected the certificate). */
    public Optional<String> handshakeFailure() {
        return handshakeFailure;
    }

    public int plaintextMailCommands() {
        return plaintextMailCommands;
    }

    public int tlsMailCommands() {
        return tlsMailCommands;
    }

    /** Messages accepted (250 after DATA) in this session. */
    public int messages() {
        return messages;
    }

    @Override
    public String toString() {
        return "SmtpSession{#" + number + ", ehlo=" + ehloName.orElse("-") + ", starttls=" + startTlsRequested
                + ", tls=" + tlsProtocol.orElse("none") + ", sni=" + serverNameIndication.orElse("-")
                + handshakeFailure.map(f -> ", handshakeFailure=" + f).orElse("")
                + ", plaintextMail=" + plaintextMailCommands + ", tlsMail=" + tlsMailCommands + ", messages=" + messages + "}";
    }
}
