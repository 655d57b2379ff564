package io.github.jamesmtasts.mtasts.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * An HTTPS server on 127.0.0.1 (ephemeral port) that answers per {@code Host} header, for policy fetch tests. It
 * records every request it receives. Handlers that must stall wait on {@link #release()}, which {@link #close()} calls.
 */
final class PolicyHttpsServer implements AutoCloseable {

    /** What the server saw of one request. */
    static final class Request {
        final String host;
        final String method;
        final String path;
        final Headers headers;

        Request(String host, String method, String path, Headers headers) {
            this.host = host;
            this.method = method;
            this.path = path;
            this.headers = headers;
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private PolicyHttpsServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** @param protocols the only TLS protocols the server accepts; none given means the JVM's defaults */
    static PolicyHttpsServer start(SSLContext context, String... protocols) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                if (protocols.length > 0) {
                    parameters.setProtocols(protocols);
                }
                params.setSSLParameters(parameters);
            }
        });
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "policy-https-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        PolicyHttpsServer policyServer = new PolicyHttpsServer(server, executor);
        server.createContext("/", policyServer::dispatch);
        server.start();
        return policyServer;
    }

    PolicyHttpsServer route(String host, HttpHandler handler) {
        routes.put(host, handler);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Lets stalled handlers finish. */
    void release() {
        release.countDown();
    }

    /** A handler answering {@code status} with the given body; chunked transfer when {@code chunked}. */
    static HttpHandler respond(int status, Optional<String> contentType, byte[] body, boolean chunked, String... headerPairs) {
        return exchange -> {
            contentType.ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                exchange.getResponseHeaders().set(headerPairs[i], headerPairs[i + 1]);
            }
            // HttpExchange: 0 means chunked, -1 means no body, n means Content-Length n.
            exchange.sendResponseHeaders(status, chunked ? 0 : (body.length == 0 ? -1 : body.length));
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    static HttpHandler textPlain(String body) {
        return respond(200, Optional.of("text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Sends headers announcing {@code length} bytes and a first part of the body, then stalls until released. */
    HttpHandler stallingAfter(byte[] firstPart, long length) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, length);
            OutputStream out = exchange.getResponseBody();
            out.write(firstPart);
            out.flush();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        };
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String hostHeader = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("");
        String host = hostHeader.contains(":") ? hostHeader.substring(0, hostHeader.lastIndexOf(':')) : hostHeader;
        requests.add(new Request(host, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders()));
        HttpHandler handler = routes.get(host);
        if (handler == null) {
            exchange.sendResponseHeaders(421, -1);
            exchange.close();
            return;
        }
        handler.handle(exchange);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
