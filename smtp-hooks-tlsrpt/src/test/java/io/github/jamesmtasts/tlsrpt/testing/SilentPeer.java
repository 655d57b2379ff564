package io.github.jamesmtasts.tlsrpt.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile peer that accepts TCP connections and never answers: a TLS client's ClientHello (or an HTTP request) is
 * read and thrown away, nothing is ever written, and the connection stays open until the client gives up or the
 * peer is closed. Stands for a policy host (RFC 8461 3.3) or any server that hangs after the TCP handshake.
 */
public final class SilentPeer implements AutoCloseable {

    private static final int BACKLOG = 200;

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private SilentPeer(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "silent-peer-" + server.getLocalSocketAddress());
        this.acceptor.setDaemon(true);
    }

    /** @param port 443 as a policy host (needs root), or 0 for any free port */
    public static SilentPeer start(String loopbackIp, int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(loopbackIp), port), BACKLOG);
            SilentPeer peer = new SilentPeer(server);
            peer.acceptor.start();
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + loopbackIp + ":" + port, e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                Thread drain = new Thread(() -> drain(socket), "silent-peer-connection");
                drain.setDaemon(true);
                drain.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Reads what the client sends (so its writes never block) and answers nothing. */
    private static void drain(Socket socket) {
        byte[] buffer = new byte[4096];
        try (InputStream in = socket.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // thrown away
            }
        } catch (SocketException e) {
            // closed by the client or by close()
        } catch (IOException e) {
            // same: the connection is over
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Waits until at least {@code count} connections were accepted; true if they were within {@code max}. */
    public boolean awaitConnections(int count, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (connections.get() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // keep closing the others
            }
        }
    }
}
