package io.github.jamesmtasts.tlsrpt.net;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.github.jamesmtasts.tlsrpt.classify.CertificateHostMismatchException;

/**
 * The one server-certificate check of every TLS client of ours (MX hosts, RFC 8461 4.2; policy hosts, RFC 8461 3.3;
 * report collectors): PKIX against {@link TrustAnchors} plus a subjectAltName DNS-ID check ({@link DnsIdMatcher}, no
 * CN fallback) of the host the socket was created for (the TLS session's peer host, never a reverse lookup). The
 * order keeps failures typed for {@code TlsFailureClassifier}:
 * <ol>
 *   <li>PKIX (expired / untrusted surface as JSSE's own typed causes);</li>
 *   <li>the DNS-ID check, failing with {@link CertificateHostMismatchException};</li>
 *   <li>JSSE's endpoint identification, when the socket asks for it, as a second opinion; its untyped failure is
 *       rethrown as a host mismatch, since PKIX already passed.</li>
 * </ol>
 * A manager built with an observer (RFC 8461 5: {@code testing} mode) hands the problem to it and lets the handshake
 * go on; without one, the problem fails the handshake.
 */
public final class DnsIdTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final Optional<Consumer<CertificateException>> observer;

    private DnsIdTrustManager(X509ExtendedTrustManager pkix, Optional<Consumer<CertificateException>> observer) {
        this.pkix = Objects.requireNonNull(pkix);
        this.observer = Objects.requireNonNull(observer);
    }

    /**
     * A TLS client context over {@code anchors} whose certificate problems fail the handshake (no observer), or are
     * handed to {@code observer} while the handshake goes on.
     */
    public static SSLContext clientContext(TrustAnchors anchors, Optional<Consumer<CertificateException>> observer) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new DnsIdTrustManager(anchors.pkixTrustManager(), observer)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up a TLS client context with " + anchors, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        String host = engine == null ? null : engine.getPeerHost();
        verify(chain, authType, host, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        SSLSession handshake = socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
        String host = handshake == null ? null : handshake.getPeerHost();
        verify(chain, authType, host, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, authType, null, () -> pkix.checkServerTrusted(chain, authType));
    }

    private void verify(X509Certificate[] chain, String authType, String host, JsseCheck jsseCheck) throws CertificateException {
        try {
            try {
                // One PKIX validation when all is well (a second one showed in DeliveryBenchmark's profile); JSSE's
                // constraints include the plain validation's, so passing it means the plain validation passes too.
                jsseCheck.run();
            } catch (CertificateException e) {
                throw typedFailure(chain, authType, host, e);
            }
            requireDnsId(chain, host);
        } catch (CertificateException e) {
            if (observer.isEmpty()) {
                throw e;
            }
            observer.get().accept(e);
        }
    }

    /** The failure in the documented order: plain PKIX first, then our DNS-ID check, then JSSE's verdict. */
    private CertificateException typedFailure(X509Certificate[] chain, String authType, String host,
                                              CertificateException jsseFailure) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        requireDnsId(chain, host);
        if (jsseFailure.getCause() != null) {
            // A PKIX problem seen only with the session's algorithm constraints: keep it as it is.
            return jsseFailure;
        }
        // JSSE's identity check fails with a plain CertificateException and no cause.
        return new CertificateHostMismatchException("JSSE endpoint identification rejected the certificate of "
            + host + ": " + jsseFailure.getMessage(), jsseFailure);
    }

    private static void requireDnsId(X509Certificate[] chain, String host) throws CertificateException {
        if (host == null || host.isEmpty()) {
            // Without the host name no identity can be checked: refuse rather than accept any certificate.
            throw new CertificateHostMismatchException("the host name to check the certificate against is unknown");
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
