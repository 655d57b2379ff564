package io.github.jamesmtasts.tlsrpt.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A hostile HTTPS peer (design H5): it accepts a request, reads it, then trickles its answer one byte every
 * {@code byteInterval}, for as long as the client listens. {@link Mode#BODY}: status {@code 200} and complete headers
 * at once, then the body byte by byte (a client that waits for the body never finishes); {@link Mode#HEADERS}: the
 * status line and an endless header byte by byte (the status never completes). Records when a client cut it off.
 */
public final class TricklingHttpsPeer implements AutoCloseable {

    /** What is trickled. */
    public enum Mode { BODY, HEADERS }

    private final SSLServerSocket server;
    private final Mode mode;
    private final long byteIntervalMillis;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "trickling-https-peer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch cutOff = new CountDownLatch(1);

    private TricklingHttpsPeer(SSLServerSocket server, Mode mode, Duration byteInterval) {
        this.server = server;
        this.mode = mode;
        this.byteIntervalMillis = byteInterval.toMillis();
    }

    /**
     * @param host a name of test-hosts.txt (or a loopback address) to listen on, on any free port
     * @param context presents a certificate the client trusts for {@code host}
     */
    public static TricklingHttpsPeer start(String host, SSLContext context, Mode mode, Duration byteInterval) {
        try {
            SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            TricklingHttpsPeer peer = new TricklingHttpsPeer(server, mode, byteInterval);
            peer.threads.execute(peer::acceptLoop);
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the trickling HTTPS peer on " + host, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests read so far. */
    public int requests() {
        return requests.get();
    }

    /** Waits until a client closed the connection while the peer was still trickling. */
    public boolean awaitCutOff(Duration timeout) throws InterruptedException {
        return cutOff.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            readRequest(socket.getInputStream());
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            if (mode == Mode.BODY) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write("HTTP/1.1 200 OK\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            while (!server.isClosed()) {
                Thread.sleep(byteIntervalMillis);
                out.write('a');
                out.flush();
            }
        } catch (IOException e) {
            // The client closed the connection: what a bounded client must do.
            cutOff.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes((int) length);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
