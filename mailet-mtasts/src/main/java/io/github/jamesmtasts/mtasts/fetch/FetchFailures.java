package io.github.jamesmtasts.mtasts.fetch;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import javax.net.ssl.SSLException;

import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.net.HttpsExchange;

/**
 * Judges policy responses and classifies failed fetches into RFC 8460 4.3.2 result types, with messages that name
 * the domain, the URL and what the domain owner should fix.
 */
final class FetchFailures {

    private static final String TEXT_PLAIN = "text/plain";
    private static final int MAX_CAUSES = 32;
    private static final int MAX_QUOTED = 200;
    static final int MAX_HEADER_LENGTH = 1_024;

    private final FetchSettings settings;
    private final TlsFailureClassifier classifier = new TlsFailureClassifier();

    FetchFailures(FetchSettings settings) {
        this.settings = settings;
    }

    /** @return what is wrong with a response's status and headers (completing "{@code <url>} ..."), or empty */
    Optional<String> responseProblem(int status, HttpHeaders headers) {
        if (status >= 300 && status < 400) {
            // RFC 8461 3.3 (F): "senders MUST NOT follow HTTP redirects"
            return Optional.of("answered " + status + headers.firstValue("location").map(l -> " (to " + printable(l) + ")").orElse("")
                + "; RFC 8461 3.3 forbids redirects, serve the policy directly with status 200");
        }
        if (status != 200) {
            // RFC 8461 3.3 (F): only "200 OK" carries a policy.
            return Optional.of("answered " + status + "; serve the policy with status 200");
        }
        OptionalLong length = contentLength(headers);
        if (length.isPresent() && length.getAsLong() > settings.maxBytes()) {
            return Optional.of(tooLarge());
        }
        if (settings.strictMediaType()) {
            Optional<String> type = headers.firstValue("content-type");
            // H2: a header value is bounded before it is looked at; no sane Content-Type is this long.
            String mediaType = type.filter(t -> t.length() <= MAX_HEADER_LENGTH)
                .map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
            if (!TEXT_PLAIN.equals(mediaType)) {
                // RFC 8461 3.3: the policy is served as "text/plain" (SHOULD; enforced unless configured lenient).
                return Optional.of("answered with media type '" + type.map(FetchFailures::printable).orElse("none")
                    + "'; serve the policy as text/plain");
            }
        }
        return Optional.empty();
    }

    FetchOutcome timedOut(String domain, URI uri) {
        return fetchError(domain, uri + " did not answer completely within " + seconds() + "; the policy host must"
            + " serve the policy promptly (RFC 8461 3.3)");
    }

    FetchOutcome exchangeFailed(String domain, URI uri, Throwable failure) {
        List<Throwable> chain = causes(failure);
        if (has(chain, HttpsExchange.BodyTooLargeException.class)) {
            return fetchError(domain, uri + " " + tooLarge());
        }
        if (has(chain, SocketTimeoutException.class)) {
            return timedOut(domain, uri);
        }
        if (has(chain, SSLException.class) || has(chain, java.security.cert.CertificateException.class)) {
            return tlsFailure(domain, uri, failure);
        }
        if (has(chain, ConnectException.class)) {
            return fetchError(domain, "could not connect to " + uri.getHost() + " port " + port(uri) + " (" + describe(chain)
                + "); the policy host must accept HTTPS connections");
        }
        return fetchError(domain, "fetching " + uri + " failed (" + describe(chain) + ")");
    }

    private FetchOutcome tlsFailure(String domain, URI uri, Throwable failure) {
        Classification classification = classifier.classify(failure);
        String code = classification.failureReasonCode().map(c -> classification.resultType().token() + "/" + c)
            .orElse(classification.resultType().token());
        switch (classification.resultType()) {
            case CERTIFICATE_EXPIRED:
            case CERTIFICATE_HOST_MISMATCH:
            case CERTIFICATE_NOT_TRUSTED:
                // RFC 8461 3.3 (F): the certificate must be PKIX-valid for mta-sts.<domain>; RFC 8460: sts-webpki-invalid.
                return FetchOutcome.failure(ResultType.STS_WEBPKI_INVALID, "MTA-STS policy for " + domain + ": the"
                    + " certificate of " + uri.getHost() + " is not valid (" + code + ": " + describe(causes(failure))
                    + "); serve a certificate from a trusted CA that is current and names " + uri.getHost()
                    + " in its subjectAltName");
            default:
                return fetchError(domain, "TLS with " + uri.getHost() + " failed (" + code + ": " + describe(causes(failure))
                    + "); the policy host must offer TLS 1.2 or higher (RFC 8461 7)");
        }
    }

    private String tooLarge() {
        // RFC 8461 3.3 (F): reject, never truncate.
        return "sent a policy larger than " + settings.maxBytes() + " bytes; RFC 8461 3.3 limits policies to 64 KiB,"
            + " shorten it";
    }

    private String seconds() {
        long millis = settings.timeout().toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    private static FetchOutcome fetchError(String domain, String problem) {
        return FetchOutcome.failure(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy for " + domain + ": " + problem);
    }

    private static OptionalLong contentLength(HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("content-length");
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? FetchSettings.HTTPS_PORT : uri.getPort();
    }

    /** The innermost message of the chain, which names the actual problem; outer ones only wrap it. */
    private static String describe(List<Throwable> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            String message = chain.get(i).getMessage();
            if (message != null && !message.isBlank()) {
                return chain.get(i).getClass().getSimpleName() + ": " + printable(message);
            }
        }
        return chain.get(0).getClass().getSimpleName();
    }

    /** H4: header values and exception texts come from the policy host; printable ASCII, bounded, before logging. */
    private static String printable(String text) {
        return NetworkText.clean(text, MAX_QUOTED);
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = failure;
        while (current != null && chain.size() < MAX_CAUSES && seen.add(current)) {
            chain.add(current);
            current = current.getCause();
        }
        return chain;
    }
}
