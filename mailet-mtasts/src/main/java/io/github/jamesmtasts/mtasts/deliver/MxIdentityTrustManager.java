package io.github.jamesmtasts.mtasts.deliver;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException;
import io.github.jamesmtasts.tlsrpt.net.DnsIdMatcher;

/**
 * Checks an MX certificate the way RFC 8461 4.2 wants, in an order that keeps failures typed:
 * <ol>
 *   <li>PKIX against the configured anchors (expired / untrusted surface as JSSE's own typed causes);</li>
 *   <li>our DNS-ID check on the MX name ({@link DnsIdMatcher}), failing with {@link CertificateHostMismatchException};</li>
 *   <li>JSSE's endpoint identification ({@code HTTPS} algorithm set on the socket by {@link StrictTlsSocketFactory})
 *       as a second opinion; its untyped failure is rethrown as a host mismatch too, since PKIX already passed.</li>
 * </ol>
 * In {@link TlsCheckMode#OBSERVE} a problem is stored in the {@link SessionProbe} and the handshake goes on.
 */
final class MxIdentityTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final String mxHost;
    private final TlsCheckMode mode;
    /** Where OBSERVE puts a problem; empty under REQUIRE, which fails the handshake instead. */
    private final Optional<SessionProbe> probe;

    MxIdentityTrustManager(X509ExtendedTrustManager pkix, String mxHost, TlsCheckMode mode, SessionProbe probe) {
        this(pkix, mxHost, mode, Optional.of(probe));
    }

    private MxIdentityTrustManager(X509ExtendedTrustManager pkix, String mxHost, TlsCheckMode mode,
                                   Optional<SessionProbe> probe) {
        this.pkix = Objects.requireNonNull(pkix);
        this.mxHost = Objects.requireNonNull(mxHost);
        this.mode = Objects.requireNonNull(mode);
        this.probe = probe;
    }

    /**
     * {@link TlsCheckMode#REQUIRE} for {@code mxHost}, bound to no session: every problem fails the handshake, so the
     * manager keeps nothing per session and may serve every handshake with that host ({@link EnforceTlsContexts}).
     */
    static MxIdentityTrustManager requiring(X509ExtendedTrustManager pkix, String mxHost) {
        return new MxIdentityTrustManager(pkix, mxHost, TlsCheckMode.REQUIRE, Optional.empty());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, authType, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, authType, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, authType, () -> pkix.checkServerTrusted(chain, authType));
    }

    /**
     * @param jsseCheck JSSE's own validation: PKIX (with the session's algorithm constraints when it has a socket or
     *                  engine) and, when the socket asks for it, endpoint identification
     */
    private void verify(X509Certificate[] chain, String authType, JsseCheck jsseCheck) throws CertificateException {
        try {
            try {
                // One PKIX validation when all is well (a second one showed in DeliveryBenchmark's profile); JSSE's
                // constraints include the plain validation's, so passing it means the plain validation passes too.
                jsseCheck.run();
            } catch (CertificateException e) {
                throw typedFailure(chain, authType, e);
            }
            requireDnsId(chain);
        } catch (CertificateException e) {
            if (mode == TlsCheckMode.REQUIRE || probe.isEmpty()) {
                throw e;
            }
            probe.get().observedCertificateProblem(e);
        }
    }

    /** The failure in the documented order: plain PKIX first, then our DNS-ID check, then JSSE's verdict. */
    private CertificateException typedFailure(X509Certificate[] chain, String authType, CertificateException jsseFailure)
        throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        requireDnsId(chain);
        if (jsseFailure.getCause() != null) {
            // A PKIX problem seen only with the session's algorithm constraints: keep it as it is.
            return jsseFailure;
        }
        // JSSE's identity check fails with a plain CertificateException and no cause.
        return new CertificateHostMismatchException(mxHost, "JSSE endpoint identification rejected the certificate of "
            + mxHost + ": " + jsseFailure.getMessage(), jsseFailure);
    }

    private void requireDnsId(X509Certificate[] chain) throws CertificateException {
        DnsIdMatcher.requireDnsId(chain, mxHost);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    @FunctionalInterface
    private interface JsseCheck {
        void run() throws CertificateException;
    }
}
