package io.github.jamesmtasts.mtasts.dane;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;

import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server-certificate check of a TLS session with one DANE MX host (RFC 7672 3): the presented chain must match one
 * of the host's usable TLSA records ({@link TlsaMatcher}); a refusal throws {@link DaneCertificateException} with its
 * RFC 8460 result type. No PKIX trust store and no JSSE host name check take part: DANE-EE(3) ignores names and
 * dates by design, DANE-TA(2) checks them itself against the MX host name and the TLSA base domain, which come from
 * the validated DNS answer, never from the socket.
 *
 * <p>Bound to one host and its TLSA RRset: build a new manager (and {@code SSLContext}) when the RRset changes, as a
 * resumed TLS session skips the trust manager ({@link DaneTls#clientContext}).
 */
public final class DaneTrustManager extends ServerCheck {

    private final MxDane host;
    private final Clock clock;

    private DaneTrustManager(MxDane host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    /** {@link #forHost(MxDane, Clock)} on the system clock (UTC). */
    public static X509ExtendedTrustManager forHost(MxDane host) {
        return forHost(host, Clock.systemUTC());
    }

    /**
     * The trust manager DANE asks for with {@code host}: for {@link MxDane.Kind#AUTHENTICATE} the TLSA match; for
     * {@link MxDane.Kind#ENCRYPT_ONLY} (a secure TLSA RRset with no usable record) {@link
     * #acceptingAnyCertificate(MxDane)}, since RFC 7672 2.2 then asks for TLS without authentication.
     *
     * @param clock the time DANE-TA(2) validity dates are checked against
     * @throws IllegalArgumentException when DANE does not apply to the host, or forbids using it now: such a host
     *     gets no DANE session at all (the caller falls back to MTA-STS or skips the host)
     */
    public static X509ExtendedTrustManager forHost(MxDane host, Clock clock) {
        Objects.requireNonNull(clock);
        switch (host.kind()) {
            case AUTHENTICATE:
                return new DaneTrustManager(host, clock);
            case ENCRYPT_ONLY:
                return acceptingAnyCertificate(host);
            default:
                throw new IllegalArgumentException("DANE gives no TLS session with " + host.mxHost().asString() + ": "
                    + host.kind() + " (" + host.reason() + ")");
        }
    }

    /**
     * RFC 7672 2.2: the host published a secure TLSA RRset but none of its records is usable, so TLS is mandatory
     * (STARTTLS must be offered and succeed, which keeps a downgrade to plaintext out) but the certificate is not
     * authenticated: any chain with at least one certificate is accepted. Only for such a host.
     *
     * @throws IllegalArgumentException for a host of any other kind: authentication is never skipped by mistake
     */
    public static X509ExtendedTrustManager acceptingAnyCertificate(MxDane host) {
        if (host.kind() != MxDane.Kind.ENCRYPT_ONLY) {
            throw new IllegalArgumentException("only a host whose TLSA records are all unusable gets unauthenticated"
                + " TLS; " + host.mxHost().asString() + " is " + host.kind());
        }
        return new AnyCertificate(host);
    }

    @Override
    void check(X509Certificate[] chain) throws CertificateException {
        DaneMatch match = TlsaMatcher.match(chain, host, clock.instant());
        if (!match.isMatch()) {
            throw new DaneCertificateException(match);
        }
    }

    @Override
    public String toString() {
        return "DaneTrustManager{" + host.mxHost().asString() + " " + host.usableRecords() + "}";
    }

    /** RFC 7672 2.2 mandatory unauthenticated TLS: see {@link #acceptingAnyCertificate(MxDane)}. */
    private static final class AnyCertificate extends ServerCheck {
        private final MxDane host;

        AnyCertificate(MxDane host) {
            this.host = host;
        }

        @Override
        void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException(host.mxHost().asString() + " presented no certificate");
            }
        }

        @Override
        public String toString() {
            return "DaneTrustManager.AnyCertificate{" + host.mxHost().asString() + ", RFC 7672 2.2 unauthenticated}";
        }
    }
}
