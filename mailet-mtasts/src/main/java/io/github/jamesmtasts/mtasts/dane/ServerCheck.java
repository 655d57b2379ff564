package io.github.jamesmtasts.mtasts.dane;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** The JSSE entry points of a client-side check: every server check runs {@link #check}; client checks refuse. */
abstract class ServerCheck extends X509ExtendedTrustManager {

    abstract void check(X509Certificate[] chain) throws CertificateException;

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
        check(chain);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
        check(chain);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
        throw new CertificateException("a DANE trust manager checks servers only");
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
        throw new CertificateException("a DANE trust manager checks servers only");
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a DANE trust manager checks servers only");
    }

    @Override
    public final X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
