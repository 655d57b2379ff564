package io.github.jamesmtasts.mtasts.dane;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.net.TlsProtocols;

/**
 * The TLS set-up of a session with one DANE MX host: the {@link DaneTrustManager} context, TLS 1.2 or higher
 * ({@link TlsProtocols}), SNI with the MX host name (RFC 7672 8.1) and no JSSE endpoint identification (DANE does the
 * names, RFC 7672 3.2; JSSE's HTTPS check would refuse a DANE-EE(3) certificate that names another host).
 */
public final class DaneTls {

    private DaneTls() {
    }

    /**
     * A client context whose only trust manager is {@link DaneTrustManager#forHost(MxDane, Clock)}. One per session
     * (or per host and TLSA RRset): JSSE may resume a session of this context without asking the trust manager again,
     * which is safe only while the records it was checked against are the ones in force.
     *
     * @throws IllegalArgumentException for a host DANE gives no TLS session ({@link DaneTrustManager#forHost})
     */
    public static SSLContext clientContext(MxDane host, Clock clock) {
        TrustManager manager = DaneTrustManager.forHost(host, clock);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {manager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up a DANE TLS client context for " + host.mxHost().asString(),
                e);
        }
    }

    /**
     * {@code parameters} for a DANE session with {@code mxHost}: the allowed protocols among {@code supported}, SNI
     * with the MX host name, no endpoint identification.
     */
    public static SSLParameters parameters(SSLParameters parameters, String[] supported, DomainName mxHost) {
        TlsProtocols.restrict(parameters, supported);
        // RFC 7672 8.1: SNI with the MX host name (the TLSA base domain is not sent: servers pick by the name asked).
        parameters.setServerNames(List.of(new SNIHostName(mxHost.asString())));
        parameters.setEndpointIdentificationAlgorithm(null);
        return parameters;
    }

    /** Applies {@link #parameters} to a client socket of a {@link #clientContext} before its handshake. */
    public static SSLSocket configure(SSLSocket socket, DomainName mxHost) {
        socket.setSSLParameters(parameters(socket.getSSLParameters(), socket.getSupportedProtocols(), mxHost));
        return socket;
    }
}
