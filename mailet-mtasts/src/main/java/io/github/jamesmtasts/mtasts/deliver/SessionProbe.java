package io.github.jamesmtasts.mtasts.deliver;

import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.util.Optional;

/**
 * What one SMTP session revealed, collected while javax.mail drives it: the MX's greeting and EHLO name,
 * whether STARTTLS was offered and begun, and a certificate problem seen in {@link TlsCheckMode#OBSERVE}.
 * One instance per session; written by the delivery thread only (the trust manager runs on it too).
 */
public final class SessionProbe {

    private volatile String greeting;
    private volatile String ehloResponse;
    private volatile Boolean startTlsOffered;
    private volatile boolean tlsStarted;
    private volatile boolean tlsEstablished;
    private volatile CertificateException observedCertificateProblem;
    private volatile InetAddress localAddress;

    void connectedFrom(InetAddress address) {
        localAddress = address;
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

    /** The STARTTLS command was accepted and the handshake began. */
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
