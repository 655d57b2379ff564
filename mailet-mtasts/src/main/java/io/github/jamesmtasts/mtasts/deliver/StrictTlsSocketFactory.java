package io.github.jamesmtasts.mtasts.deliver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.github.jamesmtasts.mtasts.dane.DaneTls;
import io.github.jamesmtasts.tlsrpt.model.DnsNames;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.net.DnsIdTrustManager;
import io.github.jamesmtasts.tlsrpt.net.TlsProtocols;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/**
 * TLS for ONE session with ONE MX host (RFC 8461 4.2, 7): TLS 1.2 or 1.3 only, SNI and endpoint identification
 * on the MX host name whatever host name the caller passes, PKIX against {@link TrustAnchors}, typed failures
 * through {@link DnsIdTrustManager} (in {@link TlsCheckMode#OBSERVE} a problem is stored in the {@link SessionProbe}
 * and the handshake goes on). javax.mail picks it up from the session property
 * {@code mail.smtp.ssl.socketFactory}, which must sit at the top level of the {@code Properties} object because
 * javax.mail reads it with {@code Properties.get}, which ignores the defaults layer.
 */
public final class StrictTlsSocketFactory extends SSLSocketFactory {

    private final String mxHost;
    private final SSLSocketFactory delegate;
    private final Optional<DomainName> daneHost;

    /** A factory with its own {@code SSLContext}: nothing (no TLS session) is shared with any other session. */
    public StrictTlsSocketFactory(TrustAnchors trust, String mxHost, TlsCheckMode mode, SessionProbe probe) {
        this(DnsIdTrustManager.clientContext(trust, mode == TlsCheckMode.REQUIRE ? Optional.empty()
            : Optional.of(probe::observedCertificateProblem)), mxHost);
    }

    /**
     * @param context a {@link DnsIdTrustManager} context; JSSE may resume one of its TLS sessions with the same peer
     *                host and port instead of checking again ({@link EnforceTlsContexts})
     */
    StrictTlsSocketFactory(SSLContext context, String mxHost) {
        this(context, mxHost, Optional.empty());
    }

    private StrictTlsSocketFactory(SSLContext context, String mxHost, Optional<DomainName> daneHost) {
        this.mxHost = DnsNames.canonical(mxHost);
        this.delegate = context.getSocketFactory();
        this.daneHost = daneHost;
    }

    /**
     * RFC 7672 for ONE session with {@code mxHost}: {@code daneContext} from {@link DaneTls#clientContext} checks the
     * certificate, {@link DaneTls#configure} sets TLS 1.2+, SNI = the MX host name (RFC 7672 8.1) and no JSSE name
     * check; the MX's replies over TLS are bounded like all others (H2).
     */
    static StrictTlsSocketFactory dane(SSLContext daneContext, DomainName mxHost) {
        return new StrictTlsSocketFactory(daneContext, mxHost.asString(), Optional.of(mxHost));
    }

    public String mxHost() {
        return mxHost;
    }

    /**
     * Layers TLS over an established connection (STARTTLS, implicit TLS). {@code host} is ignored: the MX name is
     * what counts, and what the trust manager checks (the session's peer host). The MX's replies over TLS are bounded like those before it (H2).
     */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return new BoundedSslSocket(configure(delegate.createSocket(socket, mxHost, port, autoClose)));
    }

    @Override
    public Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }

    private SSLSocket configure(Socket socket) {
        SSLSocket ssl = (SSLSocket) socket;
        if (daneHost.isPresent()) {
            return DaneTls.configure(ssl, daneHost.get());
        }
        SSLParameters parameters = ssl.getSSLParameters();
        TlsProtocols.restrict(parameters, ssl.getSupportedProtocols());
        // RFC 8461 7 (I): SNI with the MX host name.
        parameters.setServerNames(List.of(new SNIHostName(mxHost)));
        // JSSE's own RFC 2818 name check, run inside DnsIdTrustManager after our stricter DNS-ID check.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        return ssl;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String toString() {
        return "StrictTlsSocketFactory{" + mxHost + "}";
    }
}
