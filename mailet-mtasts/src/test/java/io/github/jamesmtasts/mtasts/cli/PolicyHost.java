package io.github.jamesmtasts.mtasts.cli;

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

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The {@code mta-sts.<domain>} policy hosts of the CLI tests: one HTTPS server on a loopback address that serves
 * {@code /.well-known/mta-sts.txt} per {@code Host} header, 404 for domains without a policy.
 */
final class PolicyHost implements AutoCloseable {

    private static final String PATH = "/.well-known/mta-sts.txt";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, String> policies = new ConcurrentHashMap<>();

    private PolicyHost(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static PolicyHost start(String loopbackAddress, SSLContext context) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(loopbackAddress), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "cli-policy-host");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            PolicyHost host = new PolicyHost(server, executor);
            server.createContext("/", host::handle);
            server.start();
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test policy host on " + loopbackAddress, e);
        }
    }

    /** Serves {@code text} as the policy of {@code domain}. */
    PolicyHost policy(String domain, String text) {
        policies.put("mta-sts." + domain, text);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
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
