package io.github.jamesmtasts.mtasts.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

import io.github.jamesmtasts.mtasts.dane.MxDane;

import io.github.jamesmtasts.mtasts.deliver.SessionProbe;
import io.github.jamesmtasts.mtasts.deliver.StrictTlsSocketFactory;
import io.github.jamesmtasts.mtasts.deliver.TlsCheckMode;
import io.github.jamesmtasts.tlsrpt.classify.StartTlsNotSupportedException;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/**
 * Checks one MX address the way an MTA-STS sender in {@code enforce} mode would (RFC 8461 4.2, 5, 7): connect, read
 * the greeting, EHLO, STARTTLS, then the TLS handshake through the delivery's own {@link StrictTlsSocketFactory}
 * (TLS 1.2+, SNI and certificate identity on the MX name, PKIX) and the delivery's {@link TlsFailureClassifier}, so
 * that the verdict is exactly what delivery would decide. After TLS it sends EHLO and QUIT: no mail is sent.
 *
 * <p>A host under DANE (RFC 7672 2.2: a secure TLSA RRset) is checked with the DANE TLS of {@link DaneSockets}
 * instead: RFC 8461 2 gives DANE precedence where it applies.
 */
public final class SmtpTlsProbe {

    private final TrustAnchors trust;
    private final int port;
    private final Duration timeout;
    private final String ehloName;
    private final Optional<DaneSockets> daneSockets;
    private final TlsFailureClassifier classifier = new TlsFailureClassifier();

    /**
     * @param timeout bound for the TCP connect and for each read
     * @param ehloName the name we announce in EHLO
     */
    public SmtpTlsProbe(TrustAnchors trust, int port, Duration timeout, String ehloName) {
        this(trust, port, timeout, ehloName, Optional.empty());
    }

    /** @param daneSockets the DANE TLS for hosts with a secure TLSA RRset; empty when the check runs without DANE */
    public SmtpTlsProbe(TrustAnchors trust, int port, Duration timeout, String ehloName,
                        Optional<DaneSockets> daneSockets) {
        this.trust = Objects.requireNonNull(trust);
        this.port = port;
        this.timeout = Objects.requireNonNull(timeout);
        this.ehloName = Objects.requireNonNull(ehloName);
        this.daneSockets = Objects.requireNonNull(daneSockets);
    }

    /** Never throws for network or protocol problems: they are the result. */
    public ProbeResult probe(DomainName mxHost, InetAddress address) {
        return probe(mxHost, address, Optional.empty());
    }

    /**
     * @param dane the host's DANE state: AUTHENTICATE or ENCRYPT_ONLY run the handshake with DANE TLS; anything
     *             else (or empty) with the MTA-STS checks
     * @throws IllegalStateException for a DANE host when this probe was built without {@link DaneSockets}
     */
    public ProbeResult probe(DomainName mxHost, InetAddress address, Optional<MxDane> dane) {
        Optional<MxDane> underDane = dane.filter(d -> d.kind() == MxDane.Kind.AUTHENTICATE
            || d.kind() == MxDane.Kind.ENCRYPT_ONLY);
        if (underDane.isPresent() && daneSockets.isEmpty()) {
            throw new IllegalStateException("DANE host " + mxHost + " cannot be probed without DANE TLS");
        }
        String mx = mxHost.asString();
        String ip = address.getHostAddress();
        String where = mx + " [" + ip + "]:" + port;
        Socket socket = new Socket();
        try {
            try {
                // The address carries the MX name so that nothing ever does a reverse lookup for it.
                socket.connect(new InetSocketAddress(InetAddress.getByAddress(mx, address.getAddress()), port),
                    millis(timeout));
                socket.setSoTimeout(millis(timeout));
            } catch (IOException e) {
                return ProbeResult.unreachable(ip, Optional.empty(), "cannot connect to " + where + ": " + e.getMessage());
            }
            return converse(socket, mx, ip, where, underDane);
        } finally {
            closeQuietly(socket);
        }
    }

    private ProbeResult converse(Socket socket, String mx, String ip, String where, Optional<MxDane> dane) {
        Optional<Boolean> offered = Optional.empty();
        SmtpDialog plain;
        try {
            plain = new SmtpDialog(socket);
            SmtpDialog.Reply greeting = plain.read();
            if (greeting.code() != 220) {
                return ProbeResult.unreachable(ip, offered, where + " greeted with \"" + greeting.firstLine()
                    + "\" instead of 220");
            }
            SmtpDialog.Reply ehlo = plain.command("EHLO " + ehloName);
            if (ehlo.code() != 250) {
                // A sender would fall back to HELO, which cannot offer STARTTLS.
                plain.quitQuietly();
                return noStartTls(ip, where + " refused EHLO: \"" + ehlo.firstLine() + "\"");
            }
            offered = Optional.of(ehlo.offersExtension("STARTTLS"));
            if (!offered.get()) {
                plain.quitQuietly();
                return noStartTls(ip, where + " does not offer STARTTLS in its EHLO reply");
            }
            SmtpDialog.Reply startTls = plain.command("STARTTLS");
            if (startTls.code() != 220) {
                plain.quitQuietly();
                return noStartTls(ip, where + " offered STARTTLS but answered \"" + startTls.firstLine() + "\"");
            }
        } catch (IOException e) {
            return ProbeResult.unreachable(ip, offered, "SMTP with " + where + " failed: " + e.getMessage());
        }
        return handshake(socket, mx, ip, where, dane);
    }

    private ProbeResult handshake(Socket socket, String mx, String ip, String where, Optional<MxDane> dane) {
        // RFC 7672 3.1: only usable TLSA records authenticate; ENCRYPT_ONLY checks no certificate, so nothing matches.
        boolean authenticate = dane.filter(d -> d.kind() == MxDane.Kind.AUTHENTICATE).isPresent();
        SSLSocket tls;
        try {
            tls = dane.isPresent() ? daneSockets.get().layer(socket, dane.get(), port)
                : (SSLSocket) new StrictTlsSocketFactory(trust, mx, TlsCheckMode.REQUIRE, new SessionProbe())
                    .createSocket(socket, mx, port, true);
            tls.startHandshake();
        } catch (IOException e) {
            Classification failure = classifier.classify(e);
            ProbeResult failed = ProbeResult.tlsFailed(ip, failure, "TLS with " + where + " failed"
                + (dane.isPresent() ? " under DANE" : "") + ": " + e.getMessage());
            // RFC 8460 4.3.2.1: tlsa-invalid is the certificate matching none of the usable TLSA records.
            return authenticate && failure.resultType() == ResultType.TLSA_INVALID ? failed.withTlsaMatch(false) : failed;
        }
        String protocol = tls.getSession().getProtocol();
        try {
            // RFC 3207 4.2: start over with EHLO after TLS; then leave without sending mail.
            SmtpDialog secure = new SmtpDialog(tls);
            secure.command("EHLO " + ehloName);
            secure.quitQuietly();
        } catch (IOException e) {
            // TLS is up and verified: that is what the check is about; the goodbye may fail.
        } finally {
            closeQuietly(tls);
        }
        ProbeResult ok = ProbeResult.tlsOk(ip, protocol);
        return authenticate ? ok.withTlsaMatch(true) : ok;
    }

    private ProbeResult noStartTls(String ip, String detail) {
        return ProbeResult.noStartTls(ip, classifier.classify(new StartTlsNotSupportedException(detail)), detail);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }


    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
