package io.github.jamesmtasts.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The {@code mta-sts.<domain>} policy hosts of the end-to-end tests: one HTTPS server on a loopback address that
 * serves {@code /.well-known/mta-sts.txt} (text/plain) chosen by the {@code Host} header, 404 for other names.
 * Port 443 (RFC 8461 3.3; needs root, like the tests' port 53 and 25), so James fetches exactly as in production.
 * Policies can be replaced while James runs, and every request is counted per policy host name.
 */
final class PolicyHttpsHost implements AutoCloseable {

    static final int HTTPS_PORT = 443;
    private static final String PATH = "/.well-known/mta-sts.txt";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, String> policies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    private PolicyHttpsHost(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** @param context presents a certificate naming every {@code mta-sts.<domain>} host served */
    static PolicyHttpsHost start(String loopbackAddress, int port, SSLContext context) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(loopbackAddress), port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "e2e-policy-host");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            PolicyHttpsHost host = new PolicyHttpsHost(server, executor);
            server.createContext("/", host::handle);
            server.start();
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test policy host on " + loopbackAddress + ":" + port
                    + (port < 1024 ? " (ports below 1024 need root; run the tests as root, as CI does)" : ""), e);
        }
    }

    /** Serves {@code text} as the policy of {@code domain} from now on. */
    PolicyHttpsHost policy(String domain, String text) {
        policies.put(policyHost(domain), text);
        return this;
    }

    /** Requests received so far for {@code mta-sts.<domain>}. */
    int requests(String domain) {
        AtomicInteger count = requests.get(policyHost(domain));
        return count == null ? 0 : count.get();
    }

    private static String policyHost(String domain) {
        return "mta-sts." + domain.toLowerCase(Locale.ROOT);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
        requests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        String policy = PATH.equals(exchange.getRequestURI().getPath()) ? policies.get(name) : null;
        byte[] body = (policy == null ? "not found" : policy).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(policy == null ? 404 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
