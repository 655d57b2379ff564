package io.github.jamesmtasts.tlsrpt.send;

import java.io.IOException;
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

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.DnsIdTrustManager;

/**
 * RFC 8460 5.4: POSTs a gzipped report to an {@code https:} rua. 2xx means delivered; anything else, including a
 * redirect, is a failure to be retried later (RFC 8460 5.5). Only TLS 1.2 or later with a certificate valid for the
 * URL's host; the host must resolve to addresses the {@link AddressGuard} permits.
 */
public final class HttpsReportSender {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final HttpClient client;
    private final Duration timeout;
    private final AddressGuard guard;

    /**
     * @param timeout bound on connecting and on the whole exchange
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
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return SendOutcome.delivered(status);
            }
            if (status >= 300 && status < 400) {
                return SendOutcome.failed(status, url + " answered a redirect" + response.headers().firstValue("Location")
                    .map(l -> " to " + l).orElse("") + "; RFC 8460 5.4 reports are not redirected: publish the final"
                    + " URL in the rua");
            }
            return SendOutcome.failed(status, url + " answered HTTP " + status);
        } catch (HttpTimeoutException e) {
            return SendOutcome.failed(url + " did not answer within " + timeout);
        } catch (IOException e) {
            return SendOutcome.failed("POST to " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendOutcome.failed("POST to " + url + " was interrupted");
        }
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
