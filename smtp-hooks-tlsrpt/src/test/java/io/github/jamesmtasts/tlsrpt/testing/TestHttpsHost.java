package io.github.jamesmtasts.tlsrpt.testing;

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
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The web side of tests and of the demo sandbox, on one loopback address: the {@code mta-sts.<domain>} policy hosts
 * (RFC 8461 3.3), chosen by the {@code Host} header and serving {@code /.well-known/mta-sts.txt} as text/plain (404
 * for other names and paths), and a TLS-RPT collector that answers 200 to every POST and keeps it (RFC 8460 5.4).
 * Policies can be replaced while the test runs; requests are counted per host name. One certificate names every host.
 */
public final class TestHttpsHost implements AutoCloseable {

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
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    private TestHttpsHost(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port 443 as in production (needs root), or 0 for any free port
     * @param context presents a certificate naming every host served
     */
    public static TestHttpsHost start(String loopbackAddress, int port, SSLContext context) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(loopbackAddress), port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "test-https-host");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            TestHttpsHost host = new TestHttpsHost(server, executor);
            server.createContext("/", host::handle);
            server.start();
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test HTTPS host on " + loopbackAddress + ":" + port
                + (port > 0 && port < 1024 ? " (ports below 1024 need root; run the tests as root, as CI does)" : ""), e);
        }
    }

    /** Serves {@code text} at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} from now on. */
    public TestHttpsHost policy(String domain, String text) {
        policies.put(policyHost(domain), Objects.requireNonNull(text));
        return this;
    }

    /** Requests received so far for {@code mta-sts.<domain>}. */
    public int requests(String domain) {
        AtomicInteger count = requests.get(policyHost(domain));
        return count == null ? 0 : count.get();
    }

    /** The POSTs received so far, in order. */
    public List<Post> posts() {
        return List.copyOf(posts);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static String policyHost(String domain) {
        return "mta-sts." + domain.toLowerCase(Locale.ROOT);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String host = hostName(exchange);
            requests.computeIfAbsent(host, n -> new AtomicInteger()).incrementAndGet();
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
            String policy = POLICY_PATH.equals(exchange.getRequestURI().getPath()) ? policies.get(host) : null;
            byte[] text = (policy == null ? "not found" : policy).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(policy == null ? 404 : 200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        } finally {
            exchange.close();
        }
    }

    private static String hostName(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
