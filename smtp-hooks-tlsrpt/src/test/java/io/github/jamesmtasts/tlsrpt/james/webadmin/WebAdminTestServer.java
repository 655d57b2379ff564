package io.github.jamesmtasts.tlsrpt.james.webadmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.webadmin.RandomPortSupplier;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.NoAuthenticationFilter;
import org.apache.james.webadmin.mdc.LoggingRequestFilter;

/**
 * James's own {@link WebAdminServer} (error handling, JSON content type, filters as in production) serving the given
 * routes on 127.0.0.1 and an ephemeral port, with an HTTP client to call them. Close it after each test.
 */
public final class WebAdminTestServer implements AutoCloseable {

    private final Server server;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(5)).build();

    /** The constructor of {@link WebAdminServer} is protected: Guice builds it in James. */
    private static final class Server extends WebAdminServer {
        Server(WebAdminConfiguration configuration, List<Routes> routes) {
            super(configuration, routes, new NoAuthenticationFilter(), new RecordingMetricFactory(),
                LoggingRequestFilter.create());
        }
    }

    private WebAdminTestServer(Server server) {
        this.server = server;
    }

    public static WebAdminTestServer start(Routes... routes) {
        WebAdminConfiguration configuration = WebAdminConfiguration.builder().enabled().corsDisabled()
            .host("127.0.0.1").port(new RandomPortSupplier()).build();
        Server server = new Server(configuration, List.of(routes));
        server.start();
        return new WebAdminTestServer(server);
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path);
    }

    public HttpResponse<String> post(String path) {
        return send("POST", path);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path);
    }

    public HttpResponse<String> send(String method, String path) {
        URI uri = URI.create("http://127.0.0.1:" + server.getPort().getValue() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.destroy();
    }
}
