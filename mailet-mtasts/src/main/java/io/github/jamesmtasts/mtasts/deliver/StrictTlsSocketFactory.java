package io.github.jamesmtasts.mtasts.deliver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import io.github.jamesmtasts.tlsrpt.model.DnsNames;

/**
 * TLS for ONE session with ONE MX host (RFC 8461 4.2, 7): TLS 1.2 or 1.3 only, SNI and endpoint identification
 * on the MX host name whatever host name the caller passes, PKIX against {@link TlsTrust}, typed failures
 * through {@link MxIdentityTrustManager}. javax.mail picks it up from the session property
 * {@code mail.smtp.ssl.socketFactory}, which must sit at the top level of the {@code Properties} object because
 * javax.mail reads it with {@code Properties.get}, which ignores the defaults layer.
 */
public final class StrictTlsSocketFactory extends SSLSocketFactory {

    /** RFC 8461 7 (I): TLS 1.2 or higher. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final String mxHost;
    private final SSLSocketFactory delegate;

    /** A factory with its own {@code SSLContext}: nothing (no TLS session) is shared with any other session. */
    public StrictTlsSocketFactory(TlsTrust trust, String mxHost, TlsCheckMode mode, SessionProbe probe) {
        this(context(new MxIdentityTrustManager(trust.pkixTrustManager(), DnsNames.canonical(mxHost), mode, probe),
            DnsNames.canonical(mxHost)), mxHost);
    }

    /**
     * @param context whose trust manager checks certificates for {@code mxHost} (and for no other name, since JSSE
     *                may resume a TLS session of this context instead of checking again)
     */
    StrictTlsSocketFactory(SSLContext context, String mxHost) {
        this.mxHost = DnsNames.canonical(mxHost);
        this.delegate = context.getSocketFactory();
    }

    static SSLContext context(MxIdentityTrustManager trustManager, String mxHost) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS for " + mxHost, e);
        }
    }


    public String mxHost() {
        return mxHost;
    }

    /**
     * Layers TLS over an established connection (STARTTLS, implicit TLS). {@code host} is ignored: the MX name is
     * what counts. The MX's replies over TLS are bounded like those before it (H2).
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
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(supported(ssl.getSupportedProtocols()));
        // RFC 8461 7 (I): SNI with the MX host name.
        parameters.setServerNames(List.of(new SNIHostName(mxHost)));
        // JSSE's own RFC 2818 name check, run inside MxIdentityTrustManager after our stricter DNS-ID check.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        return ssl;
    }

    private static String[] supported(String[] available) {
        List<String> offered = Arrays.asList(available);
        return PROTOCOLS.stream().filter(offered::contains).toArray(String[]::new);
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
