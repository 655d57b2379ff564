package io.github.jamesmtasts.tlsrpt.send;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.HttpsExchange;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/**
 * RFC 8460 5.4: POSTs a gzipped report to an {@code https:} rua. 2xx means delivered; anything else, including a
 * redirect, is a failure to be retried later (RFC 8460 5.5). Only TLS 1.2 or later with a certificate valid for the
 * URL's host (subjectAltName DNS-ID, no CN fallback); the connection goes to an address the {@link GuardedConnector}
 * checked, never to one found by resolving the name again.
 *
 * <p>Design H5: one deadline bounds the whole exchange (connect, TLS, request, status and headers;
 * {@link HttpsExchange}). The response body has no meaning in RFC 8460 and is never read: the connection is closed
 * once the status is known, so a collector trickling its body cannot hold the sender.
 */
public final class HttpsReportSender {

    /** The default deadline of one whole HTTPS exchange (mailet parameter {@code httpsTimeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int HTTPS_PORT = 443;

    private final Duration timeout;
    private final SSLContext tls;
    private final GuardedConnector connector;

    /**
     * @param timeout the deadline of the whole exchange, connecting included
     * @param trust the anchors collector certificates must chain to
     * @param connector which addresses a collector may have (public only unless allowed)
     */
    public HttpsReportSender(Duration timeout, TrustAnchors trust, GuardedConnector connector) {
        this.timeout = Objects.requireNonNull(timeout);
        this.tls = trust.clientContext();
        this.connector = Objects.requireNonNull(connector);
    }

    /** @param url the decoded {@code https:} rua (see {@code ReportUri#address()}) */
    public SendOutcome post(String url, byte[] gzippedReport) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return SendOutcome.failed("'" + url + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https") || uri.getHost() == null) {
            return SendOutcome.failed("'" + url + "' is not an https: URL with a host (RFC 8460 5.4)");
        }
        String host = uri.getHost();
        String target = Optional.ofNullable(uri.getRawPath()).filter(p -> !p.isEmpty()).orElse("/")
            + Optional.ofNullable(uri.getRawQuery()).map(q -> "?" + q).orElse("");
        try (HttpsExchange exchange = HttpsExchange.open(connector, tls, host.startsWith("[")
            ? host.substring(1, host.length() - 1) : host, uri.getPort() < 0 ? HTTPS_PORT : uri.getPort(), timeout)) {
            HttpsExchange.Head head = exchange.send("POST", target, Map.of("Content-Type", ReportMailComposer.MEDIA_TYPE),
                gzippedReport);
            // RFC 8460 5.4: the status decides; the body is abandoned unread when the exchange closes.
            return outcome(url, head.status(), head.headers().firstValue("Location"));
        } catch (GuardedConnector.RefusedAddressException e) {
            return SendOutcome.failed("refusing to POST to " + host + ": " + e.getMessage());
        } catch (UnknownHostException e) {
            return SendOutcome.failed("cannot resolve " + host + ": " + e.getMessage());
        } catch (HttpsExchange.DeadlineExceededException e) {
            return SendOutcome.failed(url + " did not answer within " + timeout);
        } catch (IOException e) {
            return SendOutcome.failed("POST to " + url + " failed: " + e);
        }
    }

    private static SendOutcome outcome(String url, int status, Optional<String> location) {
        if (status >= 200 && status < 300) {
            return SendOutcome.delivered();
        }
        if (status >= 300 && status < 400) {
            return SendOutcome.failed(url + " answered HTTP " + status + ", a redirect" + location.map(l -> " to " + l).orElse("")
                + "; RFC 8460 5.4 reports are not redirected: publish the final URL in the rua");
        }
        return SendOutcome.failed(url + " answered HTTP " + status);
    }
}
