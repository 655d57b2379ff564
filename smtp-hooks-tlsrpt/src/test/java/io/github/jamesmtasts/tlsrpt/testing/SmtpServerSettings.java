package io.github.jamesmtasts.tlsrpt.testing;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/** Immutable settings of a {@link TestSmtpServer}, shared with its session threads. */
final class SmtpServerSettings {
    private final String greetingName;
    private final Optional<SSLContext> startTls;
    private final Optional<String[]> startTlsProtocols;
    private final TestSmtpServer.RecipientReply recipientReply;
    private final int maxSessions;
    private final Duration readTimeout;
    private final SmtpScript script;

    SmtpServerSettings(String greetingName, Optional<SSLContext> startTls, Optional<String[]> startTlsProtocols,
            TestSmtpServer.RecipientReply recipientReply, int maxSessions, Duration readTimeout, SmtpScript script) {
        this.greetingName = greetingName;
        this.startTls = startTls;
        this.startTlsProtocols = startTlsProtocols.map(String[]::clone);
        this.recipientReply = recipientReply;
        this.maxSessions = maxSessions;
        this.readTimeout = readTimeout;
        this.script = script;
    }

    String greetingName() {
        return greetingName;
    }

    Optional<SSLContext> startTls() {
        return startTls;
    }

    Optional<String[]> startTlsProtocols() {
        return startTlsProtocols.map(String[]::clone);
    }

    TestSmtpServer.RecipientReply recipientReply() {
        return recipientReply;
    }

    int maxSessions() {
        return maxSessions;
    }

    Duration readTimeout() {
        return readTimeout;
    }

    SmtpScript script() {
        return script;
    }
}
