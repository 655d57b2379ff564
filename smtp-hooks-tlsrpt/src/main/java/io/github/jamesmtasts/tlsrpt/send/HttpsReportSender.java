package io.github.jamesmtasts.tlsrpt.send;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.DnsIdTrustManager;

/**
 * RFC 8460 5.4: POSTs a gzipped report to an {@code https:} rua. 2xx means delivered; anything else, including a
 * redirect, is a failure to be retried later (RFC 8460 5.5). Only TLS 1.2 or later with a certificate valid for the
 * URL's host; the host must resolve to addresses the {@link AddressGuard} permits.
 *
 * <p>Design H5: one deadline bounds the whole exchange (connect, TLS, request, status, headers and body). The HTTP
 * client's own request timeout stops only at the headers, so a collector that answers 200 and then trickles its body
 * would hold the sender; here the exchange is abandoned at the deadline and the connection closed. The response body
 * has no meaning in RFC 8460 and is discarded, at most {@link #MAX_RESPONSE_BODY_BYTES} of it read.
 */
public final class HttpsReportSender {

    /** The default deadline of one whole HTTPS exchange (mailet parameter {@code httpsTimeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The most of a collector's response body read before the stream is cut (it is discarded anyway). */
    public static final int MAX_RESPONSE_BODY_BYTES = 64 * 1024;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final HttpClient client;
    private final Duration timeout;
    private final AddressGuard guard;

    /**
     * @param timeout the deadline of the whole exchange, connecting included
     * @param sslContext a context from {@link DnsIdTrustManager#clientContext} with a custom trust store, or empty for
     *     the JVM's default trust anchors (with the same subjectAltName DNS-ID check, no CN fallback)
     * @param guard which addresses a collector may have (public only unless allowed)
     */
    public HttpsReportSender(Duration timeout, Optional<SSLContext> sslContext, AddressGuard guard) {
        this.timeout = Objects.requireNonNull(timeout);
        this.guard = Objects.requireNonNull(guard);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS);
        HttpClient.Builder builder = HttpClient.newBuilder()
            // RFC 8460 5.4: a redirect is not followed (and never turned into a GET); it counts as a failure.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .sslParameters(parameters);
        builder.sslContext(sslContext.orElseGet(HttpsReportSender::defaultTrust));
        this.client = builder.build();
    }

    private static SSLContext defaultTrust() {
        try {
            return DnsIdTrustManager.clientContext(Optional.empty());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust anchors cannot be used for report collectors: "
                + e.getMessage(), e);
        }
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
        Optional<String> refused = refusal(uri.getHost());
        if (refused.isPresent()) {
            return SendOutcome.failed(refused.get());
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", ReportMailComposer.MEDIA_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzippedReport))
            .build();
        DiscardedResponseBody body = new DiscardedResponseBody(MAX_RESPONSE_BODY_BYTES);
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, body);
        try {
            HttpResponse<Void> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return outcome(url, response.statusCode(), response.headers().firstValue("Location"));
        } catch (TimeoutException e) {
            abandon(exchange, body);
            OptionalInt status = body.status();
            if (status.isPresent()) {
                // The collector answered (RFC 8460 5.4: the status decides) but did not finish its body in time.
                return outcome(url, status.getAsInt(), Optional.empty());
            }
            return SendOutcome.failed(url + " did not answer within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return SendOutcome.failed(url + " did not answer within " + timeout);
            }
            return SendOutcome.failed("POST to " + url + " failed: " + cause);
        } catch (InterruptedException e) {
            abandon(exchange, body);
            Thread.currentThread().interrupt();
            return SendOutcome.failed("POST to " + url + " was interrupted");
        }
    }

    private static void abandon(CompletableFuture<HttpResponse<Void>> exchange, DiscardedResponseBody body) {
        body.cancel();
        exchange.cancel(true);
    }

    private static SendOutcome outcome(String url, int status, Optional<String> location) {
        if (status >= 200 && status < 300) {
            return SendOutcome.delivered(status);
        }
        if (status >= 300 && status < 400) {
            return SendOutcome.failed(status, url + " answered a redirect" + location.map(l -> " to " + l).orElse("")
                + "; RFC 8460 5.4 reports are not redirected: publish the final URL in the rua");
        }
        return SendOutcome.failed(status, url + " answered HTTP " + status);
    }

    // SPEC/limit: the HTTP client resolves the name again when connecting; a DNS answer that changes between the
    // two lookups (rebinding) is not caught here. The guard stops the plain case of a rua pointing inside.
    private Optional<String> refusal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return Optional.of("cannot resolve " + host + ": " + e.getMessage());
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = guard.refusal(address);
            if (refusal.isPresent()) {
                return Optional.of("refusing to POST to " + host + ": " + refusal.get());
            }
        }
        return Optional.empty();
    }
}
