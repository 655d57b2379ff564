package io.github.jamesmtasts.mtasts.deliver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.URLName;
import javax.net.ssl.SSLSocket;

import io.github.jamesmtasts.mtasts.dane.DaneTls;
import io.github.jamesmtasts.mtasts.dane.MxDane;

import io.github.jamesmtasts.tlsrpt.classify.ReplyTooLongException;
import io.github.jamesmtasts.tlsrpt.classify.StartTlsNotSupportedException;
import io.github.jamesmtasts.tlsrpt.model.DnsNames;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;
import io.github.jamesmtasts.tlsrpt.net.TlsProtocols;

/**
 * Opens one SMTP session with one MX host: TCP to the IP address the MX lookup produced while presenting the
 * MX host NAME (for SNI and the certificate check), with our own connect and read timeouts. Under
 * {@link HostVerdict.Kind#REQUIRE_TLS} and the DANE verdicts no command besides EHLO and STARTTLS is sent before TLS
 * is up.
 *
 * <p>Every refusal is a {@code MessagingException} whose next exception is an {@code IOException}: James's MX
 * loop then moves on to the next MX host (RFC 8461 5: the host is treated as unreachable) and the failure
 * stays temporary.
 */
public final class SmtpConnector {

    private static final String SMTP_PREFIX = "mail.smtp.";
    private static final String SMTPS_PREFIX = "mail.smtps.";

    private final TrustAnchors trust;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Optional<InetAddress> bindAddress;
    private final MailSessions sessions = new MailSessions();
    private final EnforceTlsContexts enforceContexts;
    private final Clock clock;

    public SmtpConnector(TrustAnchors trust, Duration connectTimeout, Duration readTimeout, Optional<InetAddress> bindAddress) {
        this(trust, connectTimeout, readTimeout, bindAddress, Clock.systemUTC());
    }

    /** @param clock the time DANE-TA(2) validity dates are checked against (RFC 7672 3.1.2) */
    public SmtpConnector(TrustAnchors trust, Duration connectTimeout, Duration readTimeout, Optional<InetAddress> bindAddress,
                         Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        this.trust = Objects.requireNonNull(trust);
        this.enforceContexts = new EnforceTlsContexts(trust);
        this.connectTimeout = Objects.requireNonNull(connectTimeout);
        this.readTimeout = Objects.requireNonNull(readTimeout);
        this.bindAddress = Objects.requireNonNull(bindAddress);
    }

    /**
     * @param baseProperties the stock mailet's javax.mail properties (defaults layers included)
     * @param verdict STOCK, REQUIRE_TLS or OBSERVE_TLS; never REFUSE
     * @param implicitTls the MX expects TLS from the first byte ({@code smtps}, the mailet's {@code sslEnable})
     * @param credentials gateway user name and password, for AUTH after TLS
     */
    public SmtpSession open(Properties baseProperties, HostVerdict.Kind verdict, String mxHost, InetAddress ip, int port,
                            boolean implicitTls, Optional<Credentials> credentials, SessionProbe probe)
        throws MessagingException {
        return open(baseProperties, verdict, mxHost, ip, port, implicitTls, credentials, probe, Optional.empty());
    }

    /**
     * @param dane the host's DANE state; required for the DANE verdicts (its TLSA records)
     */
    public SmtpSession open(Properties baseProperties, HostVerdict.Kind verdict, String mxHost, InetAddress ip, int port,
                            boolean implicitTls, Optional<Credentials> credentials, SessionProbe probe,
                            Optional<MxDane> dane) throws MessagingException {
        if (verdict == HostVerdict.Kind.REFUSE) {
            throw new IllegalArgumentException("a refused host is never connected to");
        }
        if ((verdict == HostVerdict.Kind.DANE_AUTHENTICATE || verdict == HostVerdict.Kind.DANE_ENCRYPT_ONLY)
            && dane.isEmpty()) {
            throw new IllegalArgumentException("a DANE host is checked against its TLSA records");
        }
        String mx = DnsNames.canonical(mxHost);
        BoundedReplySocket plain = connect(mx, ip, port, probe);
        Socket socket = plain;
        try {
            Properties properties = flatten(baseProperties, implicitTls);
            if (verdict != HostVerdict.Kind.STOCK) {
                // enforce: the host's kept context, so JSSE may resume an authenticated TLS session with it; testing:
                // a context of this session's own, whose trust manager reports problems into this session's probe.
                StrictTlsSocketFactory factory = factoryFor(verdict, mx, probe, dane);
                strictTlsProperties(properties, factory, requiresTls(verdict));
                if (implicitTls) {
                    probe.markTlsStarted();
                    plain.tlsStarts();
                    socket = factory.createSocket(socket, mx, port, true);
                    ((SSLSocket) socket).startHandshake();
                    probe.markTlsEstablished();
                }
            }
            Session session = sessions.borrow(properties);
            URLName url = new URLName("smtp", mx, port, null,
                credentials.map(Credentials::user).orElse(null), credentials.map(Credentials::password).orElse(null));
            ProbingSmtpTransport transport = new ProbingSmtpTransport(session, url, probe, plain::tlsStarts);
            transport.setLocalHost(properties.getProperty("mail.smtp.localhost"));
            connectTransport(transport, socket, verdict, mx, probe);
            // The javax.mail Session goes back to the pool when the SMTP session is closed (see MailSessions).
            return new SmtpSession(transport, socket, () -> sessions.release(session));
        } catch (IOException e) {
            closeQuietly(socket);
            throw refusal("TLS with " + mx + " failed: " + e.getMessage(), e);
        } catch (MessagingException e) {
            closeQuietly(socket);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(socket);
            // Never fail open: a bug in our checks makes this host unusable, not the check optional.
            throw refusal("internal error while checking " + mx + ": " + e, new IOException(e));
        }
    }

    /**
     * enforce: the host's kept context, so JSSE may resume an authenticated TLS session with it; testing: a context of
     * this session's own, whose trust manager reports problems into this session's probe; DANE: a context of this
     * session's own ({@link DaneTls#clientContext}: TLSA match, RFC 7672 3.1, or no authentication for encrypt-only,
     * 2.2), nothing resumed from another session.
     */
    private StrictTlsSocketFactory factoryFor(HostVerdict.Kind verdict, String mx, SessionProbe probe,
                                              Optional<MxDane> dane) {
        switch (verdict) {
            case REQUIRE_TLS:
                return enforceContexts.factoryFor(mx);
            case DANE_AUTHENTICATE:
            case DANE_ENCRYPT_ONLY:
                return StrictTlsSocketFactory.dane(DaneTls.clientContext(dane.orElseThrow(), clock),
                    dane.orElseThrow().mxHost());
            default:
                return new StrictTlsSocketFactory(trust, mx, TlsCheckMode.OBSERVE, probe);
        }
    }

    private static boolean requiresTls(HostVerdict.Kind verdict) {
        return verdict == HostVerdict.Kind.REQUIRE_TLS || verdict == HostVerdict.Kind.DANE_AUTHENTICATE
            || verdict == HostVerdict.Kind.DANE_ENCRYPT_ONLY;
    }

    private void connectTransport(ProbingSmtpTransport transport, Socket socket, HostVerdict.Kind verdict, String mx,
                                  SessionProbe probe) throws MessagingException {
        try {
            transport.connect(socket);
        } catch (MessagingException e) {
            if (probe.tlsStarted()) {
                throw e;
            }
            StartTlsNotSupportedException beforeTls = beforeTls(mx, probe, e);
            if (requiresTls(verdict)) {
                // RFC 8461 5, RFC 7672 2.2 / H3: whatever the MX answered or did before TLS (4xx, 5xx, a dropped connection, no
                // STARTTLS) makes this host unreachable for this attempt. javax.mail reports most of these without
                // a nested IOException or with a 5xx text, which would stop James's MX walk or bounce the mail.
                String why = beforeTls.failureReasonCode().orElse("STARTTLS not offered");
                throw refusal(mx + " did not start TLS (" + why + ")", beforeTls);
            }
            // Testing and no policy keep the stock meaning of javax.mail's exception for James (retry or bounce as
            // stock RemoteDelivery would); the classifier finds ours among its suppressed exceptions.
            e.addSuppressed(beforeTls);
            throw e;
        }
        if (requiresTls(verdict) && !transport.isSSL()) {
            // Defence in depth: javax.mail's requireStartTLS should have stopped this already.
            closeQuietly(transport);
            throw refusal(mx + " session is not encrypted", new StartTlsNotSupportedException(
                mx + " session is not protected by TLS"));
        }
    }

    /** What went wrong before TLS, as the classifier reads it ({@code starttls-not-supported}). */
    private static StartTlsNotSupportedException beforeTls(String mx, SessionProbe probe, MessagingException failure) {
        if (causedByReplyTooLong(failure)) {
            String code = probe.replyTooLongBeforeTls();
            return new StartTlsNotSupportedException(mx + ": " + code, code);
        }
        if (probe.startTlsOffered().equals(Optional.of(false))) {
            return new StartTlsNotSupportedException(mx + " did not offer STARTTLS in its EHLO reply");
        }
        String code = probe.failureBeforeTls();
        return new StartTlsNotSupportedException(mx + ": " + code, code);
    }

    /** The connected socket, its replies bounded (H2) whatever the verdict: that protects James's memory. */
    private BoundedReplySocket connect(String mx, InetAddress ip, int port, SessionProbe probe) throws MessagingException {
        Socket socket = new Socket();
        try {
            if (bindAddress.isPresent()) {
                socket.bind(new InetSocketAddress(bindAddress.get(), 0));
            }
            // The address carries the MX name, so that javax.mail's STARTTLS code (which asks the socket for its
            // peer's host name) presents the MX name and never does a reverse lookup.
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(mx, ip.getAddress()), port),
                (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            probe.connectedFrom(socket.getLocalAddress());
            return BoundedReplySocket.wrap(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new MessagingException("Cannot connect to " + mx + " [" + ip.getHostAddress() + "]:" + port
                + ": " + e.getMessage(), e);
        }
    }

    private static void strictTlsProperties(Properties properties, StrictTlsSocketFactory factory, boolean required) {
        // Top level on purpose: javax.mail reads the factory with Properties.get, which ignores defaults.
        properties.put("mail.smtp.ssl.socketFactory", factory);
        // A configured factory class would win over the factory object: drop it.
        properties.remove("mail.smtp.ssl.socketFactory.class");
        properties.put("mail.smtp.ssl.protocols", String.join(" ", TlsProtocols.ALLOWED));
        // javax.mail's own identity check accepts multi-label wildcards; ours runs in the trust manager.
        properties.put("mail.smtp.ssl.checkserveridentity", "false");
        properties.put("mail.smtp.ssl.enable", "false");
        properties.put("mail.smtp.starttls.enable", "true");
        properties.put("mail.smtp.starttls.required", String.valueOf(required));
    }

    /**
     * A flat copy of {@code base} for the "smtp" transport we always drive. For implicit TLS James builds
     * {@code mail.smtps.*} properties (sslEnable); our TLS socket is already open, so the transport is "smtp" and
     * reads {@code mail.smtp.*}: without the copy the heloName, timeouts and other stock settings would be lost.
     */
    static Properties flatten(Properties base, boolean implicitTls) {
        Properties flat = new Properties();
        for (String name : base.stringPropertyNames()) {
            flat.put(name, base.getProperty(name));
        }
        if (implicitTls) {
            for (String name : base.stringPropertyNames()) {
                if (name.startsWith(SMTPS_PREFIX)) {
                    flat.putIfAbsent(SMTP_PREFIX + name.substring(SMTPS_PREFIX.length()), base.getProperty(name));
                }
            }
        }
        return flat;
    }

    private static boolean causedByReplyTooLong(Throwable failure) {
        Throwable t = failure;
        // Bounded walk: a cause chain is ours and javax.mail's, but never trust it to end.
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof ReplyTooLongException) {
                return true;
            }
        }
        return false;
    }

    static MessagingException refusal(String message, IOException cause) {
        return new MessagingException("MTA-STS: " + message, cause);
    }


    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private static void closeQuietly(ProbingSmtpTransport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // nothing more to do
        }
    }

    /** Gateway AUTH credentials (the stock {@code gatewayUsername} / {@code gatewayPassword}). */
    public static final class Credentials {
        private final String user;
        private final String password;

        private Credentials(String user, String password) {
            this.user = Objects.requireNonNull(user);
            this.password = password;
        }

        public static Credentials of(String user, String password) {
            return new Credentials(user, password);
        }

        public String user() {
            return user;
        }

        public String password() {
            return password;
        }
    }
}
