package io.github.jamesmtasts.mtasts.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLParameters;

import io.github.jamesmtasts.mtasts.policy.StsPolicyParseResult;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} as RFC 8461 3.3 requires: HTTPS with PKIX and
 * a subjectAltName DNS-ID check of {@code mta-sts.<domain>} (no CN fallback, {@code DnsIdTrustManager}; SNI sent by
 * {@code HttpClient}), TLS 1.2 or higher (RFC 8461 7), HTTP 200 only,
 * no redirects, no caching, {@code text/plain}, at most 64 KiB, one deadline for the whole exchange. Failures map to
 * the RFC 8460 4.3.2 result types: certificate problems {@code sts-webpki-invalid}; connection, status, redirect,
 * timeout, size and media-type problems {@code sts-policy-fetch-error}; an unparsable body {@code sts-policy-invalid}.
 * Thread-safe; one instance per configuration.
 */
public final class HttpsPolicyFetcher implements PolicyFetcher {

    /** RFC 8461 3.3: the policy host is {@code mta-sts.<domain>}. */
    static final String POLICY_HOST = "mta-sts";
    static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";

    private final FetchSettings settings;
    private final PolicyHostGuard guard;
    private final HttpClient client;
    private final FetchFailures failures;

    /** @throws IllegalArgumentException when the configured trust source cannot be read */
    public HttpsPolicyFetcher(FetchSettings settings) {
        this(settings, InetAddress::getAllByName);
    }

    HttpsPolicyFetcher(FetchSettings settings, PolicyHostGuard.Resolver resolver) {
        this.settings = settings;
        this.guard = new PolicyHostGuard(settings.allowNetworks(), resolver);
        this.failures = new FetchFailures(settings);
        SSLParameters tls = new SSLParameters();
        // RFC 8461 7 (I): TLS 1.2 or higher only, whatever else the JVM would allow.
        tls.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.client = HttpClient.newBuilder()
            .sslContext(TlsContexts.clientContext(settings.trust()))
            .sslParameters(tls)
            // RFC 8461 3.3 (F): "senders MUST NOT follow HTTP redirects"
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.timeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    /** The TLS protocols offered to policy hosts. */
    String[] protocols() {
        return client.sslParameters().getProtocols();
    }

    @Override
    public FetchOutcome fetch(String domain) {
        DomainName.Parsed parsed = DomainName.parse(domain);
        Optional<DomainName> policyHost = parsed.name().flatMap(n -> n.prefixed(POLICY_HOST));
        if (policyHost.isEmpty()) {
            return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for "
                + parsed.problem().orElse(domain + ": mta-sts." + domain + " is longer than a DNS name may be")
                + "; a policy domain is a host name such as example.com");
        }
        String d = parsed.name().get().asString();
        String host = policyHost.get().asString();
        URI uri = policyUri(host);
        Optional<String> refusal = guard.refusal(host);
        if (refusal.isPresent()) {
            return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + d + ": " + refusal.get());
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
            .GET()
            .timeout(settings.timeout())
            // RFC 8461 3.3 (F): HTTP caching is not used; ask intermediaries for a fresh copy too.
            .header("Cache-Control", "no-cache")
            .build();
        AtomicReference<CappedBodySubscriber> body = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> {
            // Only a 200 text/plain answer within the size cap is read; anything else is never downloaded.
            CappedBodySubscriber subscriber = failures.responseProblem(info.statusCode(), info.headers()).isPresent()
                ? CappedBodySubscriber.discarding() : CappedBodySubscriber.capped(settings.maxBytes());
            body.set(subscriber);
            return subscriber;
        });
        HttpResponse<byte[]> response;
        try {
            // RFC 8461 3.3 (F): one deadline for connect, TLS, headers and body together.
            response = exchange.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            Optional.ofNullable(body.get()).ifPresent(CappedBodySubscriber::abort);
            return failures.timedOut(d, uri);
        } catch (ExecutionException e) {
            return failures.exchangeFailed(d, uri, e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + d + ": fetch of " + uri
                + " was interrupted (server shutting down); it will be retried");
        }
        Optional<FetchOutcome> problem = failures.responseProblem(response.statusCode(), response.headers())
            .map(p -> FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + d + ": " + uri + " " + p));
        if (problem.isPresent()) {
            return problem.get();
        }
        return parse(d, uri, response.body());
    }

    private static FetchOutcome parse(String domain, URI uri, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        StsPolicyParseResult parsed = StsPolicyParser.parse(text);
        if (!parsed.isValid()) {
            return FetchOutcome.failure(ResultType.STS_POLICY_INVALID, "MTA-STS policy for " + domain + ": " + uri
                + " is not a valid policy: " + parsed.reason().orElse("malformed") + " (RFC 8461 3.2)");
        }
        return FetchOutcome.success(parsed.policy().get(), text);
    }

    private URI policyUri(String host) {
        try {
            int port = settings.port() == FetchSettings.HTTPS_PORT ? -1 : settings.port();
            return new URI("https", null, host, port, WELL_KNOWN_PATH, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("validated host " + host + " does not form a URI", e);
        }
    }

}
