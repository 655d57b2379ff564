package io.github.jamesmtasts.mtasts.deliver;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException;

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
    private final SessionProbe probe;

    MxIdentityTrustManager(X509ExtendedTrustManager pkix, String mxHost, TlsCheckMode mode, SessionProbe probe) {
        this.pkix = Objects.requireNonNull(pkix);
        this.mxHost = Objects.requireNonNull(mxHost);
        this.mode = Objects.requireNonNull(mode);
        this.probe = Objects.requireNonNull(probe);
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
        verify(chain, authType, () -> { });
    }

    private void verify(X509Certificate[] chain, String authType, JsseIdentityCheck jsseIdentityCheck)
        throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
            if (chain == null || chain.length == 0 || !DnsIdMatcher.certificateNames(chain[0], mxHost)) {
                throw new CertificateHostMismatchException(mxHost, "The certificate of " + mxHost
                    + " has no subjectAltName DNS-ID matching it (names: "
                    + (chain == null || chain.length == 0 ? "none" : DnsIdMatcher.dnsIds(chain[0])) + ")");
            }
            try {
                jsseIdentityCheck.run();
            } catch (CertificateException e) {
                if (e.getCause() != null) {
                    // A PKIX problem seen only with the session's algorithm constraints: keep it as it is.
                    throw e;
                }
                // JSSE's identity check fails with a plain CertificateException and no cause.
                throw new CertificateHostMismatchException(mxHost, "JSSE endpoint identification rejected the certificate of "
                    + mxHost + ": " + e.getMessage(), e);
            }
        } catch (CertificateException e) {
            if (mode == TlsCheckMode.REQUIRE) {
                throw e;
            }
            probe.observedCertificateProblem(e);
        }
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
    private interface JsseIdentityCheck {
        void run() throws CertificateException;
    }
}
