package io.github.jamesmtasts.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.jamesmtasts.tlsrpt.testing.TestPki;

/**
 * The sandbox's web side on one loopback address, port 443 (RFC 8461 3.3: policy hosts listen there): the
 * {@code mta-sts.<domain>} policy hosts, chosen by the {@code Host} header, and a TLS-RPT collector recording the
 * reports POSTed to it (RFC 8460 5.4). One certificate names every host.
 */
public final class SandboxHttps implements AutoCloseable {

    private static final String POLICY_PATH = "/.well-known/mta-sts.txt";

    /** A POST the collector received. */
    public static final class Post {
        private final String host;
        private final String path;
        private final String contentType;
        private final byte[] body;

        Post(String host, String path, String contentType, byte[] body) {
            this.host = host;
            this.path = path;
            this.contentType = contentType;
            this.body = body.clone();
        }

        public String host() {
            return host;
        }

        public String path() {
            return path;
        }

        public String contentType() {
            return contentType;
        }

        public byte[] body() {
            return body.clone();
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, String> policies = new ConcurrentHashMap<>();
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    private SandboxHttps(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code ip:443}, presenting {@code certificate} (which must name every policy and collector host). */
    public static SandboxHttps start(String ip, TestPki.ServerCertificate certificate) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(ip), 443), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "sandbox-https");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            SandboxHttps https = new SandboxHttps(server, executor);
            server.createContext("/", https::handle);
            server.start();
            return https;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox HTTPS server on " + ip + ":443 (needs root): "
                + e.getMessage(), e);
        }
    }

    /** Serves {@code policy} at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}. */
    public SandboxHttps policy(String domain, String policy) {
        policies.put("mta-sts." + domain.toLowerCase(Locale.ROOT), Objects.requireNonNull(policy));
        return this;
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String host = hostName(exchange);
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (exchange.getRequestMethod().equals("POST")) {
                posts.add(new Post(host, exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            String policy = policies.get(host);
            if (policy == null || !exchange.getRequestURI().getPath().equals(POLICY_PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] text = policy.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        } finally {
            exchange.close();
        }
    }

    private static String hostName(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return "";
        }
        int colon = host.indexOf(':');
        return (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
