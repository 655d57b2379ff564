package io.github.jamesmtasts.tlsrpt.send;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/** A loopback HTTPS report collector answering a script of responses, recording every request. */
final class HttpsCollector implements AutoCloseable {

    static final String HOST = "collector.report.test";
    /** Scripted answer meaning "never answer" (until the collector closes). */
    static final int HANG = -1;

    static final class Received {
        final String method;
        final String path;
        final String contentType;
        final byte[] body;

        Received(String method, String path, String contentType, byte[] body) {
            this.method = method;
            this.path = path;
            this.contentType = contentType;
            this.body = body;
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    HttpsCollector(TestPki pki, Integer... answers) throws IOException {
        this(pki.issue(HOST), answers);
    }

    /** Presents {@code certificate} instead of one issued for {@link #HOST}. */
    HttpsCollector(TestPki.ServerCertificate certificate, Integer... answers) throws IOException {
        script.addAll(List.of(answers));
        SSLContext context = certificate.serverContext();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(HOST), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "https://" + HOST + ":" + server.getAddress().getPort() + path;
    }

    List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Integer answer = script.poll();
        int status = answer == null ? 200 : answer;
        if (status == HANG) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().add("Location", url("/moved"));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
