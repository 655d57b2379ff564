package io.github.jamesmtasts.mtasts.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket to one MX whose decrypted input is read through a {@link BoundedReplyInputStream}: the same per line
 * and per reply bounds as before TLS (H2). Everything else is delegated; javax.mail sees an {@link SSLSocket}, so it
 * knows the session is encrypted.
 */
final class BoundedSslSocket extends SSLSocket {

    private final SSLSocket ssl;
    private volatile BoundedReplyInputStream input;

    BoundedSslSocket(SSLSocket ssl) {
        this.ssl = ssl;
    }

    /** Created on first use: the TLS socket's stream exists only once it is connected. */
    @Override
    public InputStream getInputStream() throws IOException {
        BoundedReplyInputStream current = input;
        if (current == null) {
            synchronized (this) {
                if (input == null) {
                    input = new BoundedReplyInputStream(ssl.getInputStream());
                }
                current = input;
            }
        }
        return current;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return ssl.getOutputStream();
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
        return ssl.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return ssl.getLocalAddress();
    }

    @Override
    public int getPort() {
        return ssl.getPort();
    }

    @Override
    public int getLocalPort() {
        return ssl.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return ssl.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return ssl.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        ssl.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return ssl.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        ssl.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return ssl.getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        ssl.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return ssl.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        ssl.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return ssl.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        ssl.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return ssl.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        ssl.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return ssl.getKeepAlive();
    }

    @Override
    public void close() throws IOException {
        ssl.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        ssl.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ssl.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return ssl.isConnected();
    }

    @Override
    public boolean isBound() {
        return ssl.isBound();
    }

    @Override
    public boolean isClosed() {
        return ssl.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return ssl.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return ssl.isOutputShutdown();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return ssl.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return ssl.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        ssl.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return ssl.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return ssl.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        ssl.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return ssl.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return ssl.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        ssl.addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        ssl.removeHandshakeCompletedListener(listener);
    }

    @Override
    public void startHandshake() throws IOException {
        ssl.startHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        ssl.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return ssl.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        ssl.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return ssl.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        ssl.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return ssl.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        ssl.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return ssl.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return ssl.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        ssl.setSSLParameters(parameters);
    }

    @Override
    public String getApplicationProtocol() {
        return ssl.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return ssl.getHandshakeApplicationProtocol();
    }

    @Override
    public String toString() {
        return "BoundedSslSocket{" + ssl + "}";
    }
}
