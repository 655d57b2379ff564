package io.github.jamesmtasts.tlsrpt.net;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException;

/**
 * PKIX plus a subjectAltName DNS-ID check ({@link DnsIdMatcher}, no CN fallback) of the host an HTTPS client connects
 * to: the MTA-STS policy host (RFC 8461 3.3 requires the DNS-ID) and TLS-RPT collectors. JSSE's own {@code HTTPS}
 * endpoint identification falls back to the subject CN when a certificate has no dNSName, so it is not enough.
 * The host is the one the client asked for ({@code SSLEngine.getPeerHost()}, which {@code java.net.http.HttpClient}
 * sets to the URI host). Failures stay typed: PKIX problems as JSSE reports them, a missing DNS-ID as
 * {@link CertificateHostMismatchException}.
 */
public final class DnsIdTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;

    private DnsIdTrustManager(X509ExtendedTrustManager pkix) {
        this.pkix = Objects.requireNonNull(pkix);
    }

    /**
     * A TLS client context that trusts {@code anchors} (or the JVM's default trust anchors when empty) and accepts a
     * server certificate only when a dNSName names the host connected to.
     */
    public static SSLContext clientContext(Optional<KeyStore> anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors.orElse(null));
        X509ExtendedTrustManager pkix = null;
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                pkix = (X509ExtendedTrustManager) manager;
            }
        }
        if (pkix == null) {
            throw new GeneralSecurityException("the PKIX trust manager factory returned no X509ExtendedTrustManager");
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new DnsIdTrustManager(pkix)}, null);
        return context;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        String host = engine == null ? null : engine.getPeerHost();
        verify(chain, authType, host, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        // The handshake session's peer host is the name the client connected with; never a reverse lookup.
        String host = socket instanceof SSLSocket && ((SSLSocket) socket).getHandshakeSession() != null
            ? ((SSLSocket) socket).getHandshakeSession().getPeerHost() : null;
        verify(chain, authType, host, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, authType, null, () -> pkix.checkServerTrusted(chain, authType));
    }

    private void verify(X509Certificate[] chain, String authType, String host, JsseCheck jsseCheck) throws CertificateException {
        try {
            jsseCheck.run();
        } catch (CertificateException jsseFailure) {
            // Keep the failure typed: a plain PKIX problem first, then our DNS-ID verdict, then JSSE's own.
            pkix.checkServerTrusted(chain, authType);
            requireDnsId(chain, host);
            throw jsseFailure;
        }
        requireDnsId(chain, host);
    }

    private static void requireDnsId(X509Certificate[] chain, String host) throws CertificateException {
        if (host == null || host.isEmpty()) {
            // Without the host name no identity can be checked: refuse rather than accept any certificate.
            throw new CertificateHostMismatchException("", "the host name to check the certificate against is unknown");
        }
        DnsIdMatcher.requireDnsId(chain, host);
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
