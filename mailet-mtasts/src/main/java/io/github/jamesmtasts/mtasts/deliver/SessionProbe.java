package io.github.jamesmtasts.mtasts.deliver;

import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.classify.ReplyTooLongException;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/**
 * What one SMTP session revealed, collected while javax.mail drives it: the MX's greeting and EHLO name,
 * whether STARTTLS was offered and begun, and a certificate problem seen in {@link TlsCheckMode#OBSERVE}.
 * One instance per session; written by the delivery thread only (the trust manager runs on it too).
 */
public final class SessionProbe {

    /** The steps of a session before TLS, named in {@code failure-reason-code}s. */
    public enum Step {
        GREETING("greeting"), EHLO("ehlo"), STARTTLS("starttls");

        private final String token;

        Step(String token) {
            this.token = token;
        }
    }

    /** Longest SMTP reply text kept in a {@code failure-reason-code} (H4: the MX chooses that text). */
    public static final int MAX_REPLY_TEXT = 100;

    private volatile String greeting;
    private volatile String ehloResponse;
    private volatile Boolean startTlsOffered;
    private volatile boolean tlsStarted;
    private volatile boolean tlsEstablished;
    private volatile CertificateException observedCertificateProblem;
    private volatile InetAddress localAddress;
    private volatile Step step = Step.GREETING;
    private volatile String stepReply;

    void connectedFrom(InetAddress address) {
        localAddress = address;
    }

    /** The TCP connection was made: whatever fails from here on is part of an SMTP session to record. */
    public boolean connected() {
        return localAddress != null;
    }

    /** RFC 8460 4.4 {@code sending-mta-ip}: our end of the TCP connection, once connected. */
    public Optional<InetAddress> localAddress() {
        return Optional.ofNullable(localAddress).filter(a -> !a.isAnyLocalAddress());
    }

    void greeting(String line) {
        if (greeting == null) {
            greeting = line;
        }
    }

    void firstEhlo(String response, boolean offersStartTls) {
        if (ehloResponse == null) {
            ehloResponse = response;
            startTlsOffered = offersStartTls;
        }
    }

    /** The client is about to send the command of {@code next} (the greeting step starts with the connection). */
    void step(Step next) {
        step = next;
        stepReply = null;
    }

    /** A complete reply read before TLS; {@code code} -1 when there was none (end of stream, garbage). */
    void replyBeforeTls(int code, String response) {
        if (!tlsStarted && code >= 100 && code <= 599) {
            stepReply = response;
        }
    }

    /** {@code failure-reason-code} of a session ended before TLS because the MX's reply exceeded our bound (H2). */
    public String replyTooLongBeforeTls() {
        return ReplyTooLongException.REASON_CODE + "-at-" + step.token;
    }

    /**
     * RFC 8460 4.3 {@code failure-reason-code} of a session that ended before TLS started: the step and the MX's
     * reply to it (first line, printable ASCII, at most {@value #MAX_REPLY_TEXT} characters), or "no-reply-at-" the
     * step when the MX closed the connection or went silent.
     */
    public String failureBeforeTls() {
        String reply = stepReply;
        if (reply == null || reply.startsWith("2") || reply.startsWith("3")) {
            return "no-reply-at-" + step.token;
        }
        int end = 0;
        while (end < reply.length() && end <= MAX_REPLY_TEXT
            && reply.charAt(end) != '\r' && reply.charAt(end) != '\n') {
            end++;
        }
        return step.token + "-refused: " + NetworkText.clean(reply.subSequence(0, end), MAX_REPLY_TEXT);
    }

    void markTlsStarted() {
        tlsStarted = true;
    }

    void markTlsEstablished() {
        tlsEstablished = true;
    }

    void observedCertificateProblem(CertificateException problem) {
        if (observedCertificateProblem == null) {
            observedCertificateProblem = problem;
        }
    }

    /**
     * RFC 8460 4.4 {@code receiving-mx-helo}: the name the MX announced, from its first EHLO reply line, else
     * from its 220 greeting.
     */
    public Optional<String> announcedName() {
        return firstToken(ehloResponse, "250").or(() -> firstToken(greeting, "220"));
    }

    private static Optional<String> firstToken(String response, String code) {
        if (response == null || !response.startsWith(code) || response.length() <= 4) {
            return Optional.empty();
        }
        String rest = response.substring(4).trim();
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
            end++;
        }
        return end == 0 ? Optional.empty() : Optional.of(rest.substring(0, end));
    }

    /** Empty until the first EHLO reply was read. */
    public Optional<Boolean> startTlsOffered() {
        return Optional.ofNullable(startTlsOffered);
    }

    /** The MX answered 220 to STARTTLS (or the session is implicit TLS): the handshake began. */
    public boolean tlsStarted() {
        return tlsStarted;
    }

    /** The handshake completed and our trust manager let it through. */
    public boolean tlsEstablished() {
        return tlsEstablished;
    }

    public Optional<CertificateException> observedCertificateProblem() {
        return Optional.ofNullable(observedCertificateProblem);
    }
}
