package io.github.jamesmtasts.tlsrpt.classify;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A one-purpose TLS server on 127.0.0.1 for handshake tests: it accepts connections and either completes the
 * handshake with the given context and protocols, closes the connection at once, or stays silent.
 */
final class LoopbackTlsServer implements AutoCloseable {

    enum Behaviour { HANDSHAKE, CLOSE_AT_ONCE, SILENT }

    private final ServerSocket serverSocket;
    private final Thread acceptor;

    private LoopbackTlsServer(ServerSocket serverSocket, Thread acceptor) {
        this.serverSocket = serverSocket;
        this.acceptor = acceptor;
    }

    static LoopbackTlsServer start(Behaviour behaviour, Optional<SSLContext> context, String... protocols) throws IOException {
        ServerSocket serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Thread acceptor = new Thread(() -> acceptLoop(serverSocket, behaviour, context, protocols), "loopback-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return new LoopbackTlsServer(serverSocket, acceptor);
    }

    private static void acceptLoop(ServerSocket serverSocket, Behaviour behaviour, Optional<SSLContext> context,
                                   String[] protocols) {
        while (!serverSocket.isClosed()) {
            try (Socket plain = serverSocket.accept()) {
                serve(plain, behaviour, context, protocols);
            } catch (IOException e) {
                // handshake failures are the point of these tests; a closed server socket ends the loop
            }
        }
    }

    private static void serve(Socket plain, Behaviour behaviour, Optional<SSLContext> context, String[] protocols)
        throws IOException {
        if (behaviour == Behaviour.CLOSE_AT_ONCE) {
            return;
        }
        plain.setSoTimeout(10_000);
        if (behaviour == Behaviour.SILENT) {
            // Read until the client gives up and closes: never answer its ClientHello.
            InputStream in = plain.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // discard
            }
            return;
        }
        SSLSocket tls = (SSLSocket) context.orElseThrow().getSocketFactory()
            .createSocket(plain, null, plain.getPort(), false);
        tls.setUseClientMode(false);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.startHandshake();
        // Wait for the client to close so that its side of the handshake can finish.
        tls.getInputStream().read();
    }

    InetAddress address() {
        return serverSocket.getInetAddress();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        serverSocket.close();
        acceptor.join(10_000);
    }
}
