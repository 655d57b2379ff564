package io.github.jamesmtasts.mtasts.fetch;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.github.jamesmtasts.mtasts.policy.StsPolicyParseResult;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.AddressGuard;
import io.github.jamesmtasts.tlsrpt.net.GuardedConnector;
import io.github.jamesmtasts.tlsrpt.net.HttpsExchange;
import io.github.jamesmtasts.tlsrpt.net.TrustAnchors;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} as RFC 8461 3.3 requires: HTTPS with PKIX and
 * a subjectAltName DNS-ID check of {@code mta-sts.<domain>} (no CN fallback, {@code DnsIdTrustManager}; SNI sent),
 * TLS 1.2 or higher (RFC 8461 7), HTTP 200 only, no redirects, no caching, {@code text/plain}, at most 64 KiB, one
 * deadline for the whole exchange ({@link HttpsExchange}). The policy host is resolved once and the connection goes
 * to an address the SSRF guard checked ({@link GuardedConnector}). Failures map to the RFC 8460 4.3.2 result types:
 * certificate problems {@code sts-webpki-invalid}; address, connection, status, redirect, timeout, size and
 * media-type problems {@code sts-policy-fetch-error}; an unparsable body {@code sts-policy-invalid}.
 * Thread-safe; one instance per configuration.
 */
public final class HttpsPolicyFetcher implements PolicyFetcher {

    /** RFC 8461 3.3: the policy host is {@code mta-sts.<domain>}. */
    static final String POLICY_HOST = "mta-sts";
    static final String WELL_KNOWN_PATH = "/.well-known/mta-sts.txt";
    // RFC 8461 3.3 (F): HTTP caching is not used; ask intermediaries for a fresh copy too.
    private static final Map<String, String> NO_CACHE = Map.of("Cache-Control", "no-cache");

    private final FetchSettings settings;
    private final GuardedConnector connector;
    private final SSLContext tls;
    private final FetchFailures failures;

    /**
     * @param resolver resolves the policy host once; the fetch connects to the address it checked
     * @throws IllegalArgumentException when the configured trust source cannot be read
     */
    public HttpsPolicyFetcher(FetchSettings settings, GuardedConnector.Resolver resolver) {
        this.settings = settings;
        this.connector = new GuardedConnector(AddressGuard.allowing(settings.allowNetworks()), resolver);
        this.failures = new FetchFailures(settings);
        try {
            this.tls = settings.trust().map(TrustAnchors::load).orElseGet(TrustAnchors::jvmDefault).clientContext();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MTA-STS policy fetches: " + e.getMessage(), e);
        }
    }

    @Override
    public FetchOutcome fetch(DomainName domain) {
        Optional<DomainName> policyHost = domain.prefixed(POLICY_HOST);
        if (policyHost.isEmpty()) {
            return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + domain + ": mta-sts."
                + domain + " is longer than a DNS name may be (RFC 1035 2.3.4)");
        }
        String d = domain.asString();
        String host = policyHost.get().asString();
        URI uri = policyUri(host);
        try (HttpsExchange exchange = HttpsExchange.open(connector, tls, host, settings.port(), settings.timeout())) {
            HttpsExchange.Head head = exchange.send("GET", WELL_KNOWN_PATH, NO_CACHE, new byte[0]);
            // Only a 200 text/plain answer within the size cap is read; anything else is never downloaded.
            Optional<String> problem = failures.responseProblem(head.status(), head.headers());
            if (problem.isPresent()) {
                return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + d + ": " + uri + " "
                    + problem.get());
            }
            return parse(d, uri, exchange.readBody(settings.maxBytes()));
        } catch (GuardedConnector.RefusedAddressException e) {
            return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + d + ": " + host
                + " resolves to " + e.address().getHostAddress() + ", which is not a public address; refusing to fetch"
                + " from it (SSRF guard). If this policy host is intended, add its network to "
                + FetchSettings.ALLOW_NETWORKS_SETTING + " in conf/mta-sts.properties (--allow-network in the CLI)");
        } catch (UnknownHostException e) {
            return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + d + ": " + host
                + " does not resolve to any address; publish an A or AAAA record for it");
        } catch (IOException e) {
            return failures.exchangeFailed(d, uri, e);
        }
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
