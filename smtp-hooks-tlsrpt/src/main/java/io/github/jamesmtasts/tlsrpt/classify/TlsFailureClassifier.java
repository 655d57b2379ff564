package io.github.jamesmtasts.tlsrpt.classify;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * THE one place that maps a failed outbound TLS negotiation to an RFC 8460 4.3.1 result type and
 * {@code failure-reason-code}. It walks the whole cause chain (including {@code MessagingException}'s nested
 * exceptions, which are causes) and decides by type, most specific first:
 *
 * <ol>
 *   <li>{@link StartTlsNotSupportedException} - {@code starttls-not-supported}, with its reason code when the MX
 *       refused or dropped the session before TLS (H3: greeting, EHLO or STARTTLS answered 4xx / 5xx)</li>
 *   <li>{@link ReplyTooLongException} (after TLS; H2) - {@code validation-failure} with {@code reply-too-long}</li>
 *   <li>{@link ClassifiedCertificateException} - the result type and reason code it carries: a trust manager with a
 *       policy of its own decided them (DANE: {@code tlsa-invalid}, RFC 8460 4.3.2.1, or a 4.3.1 type)</li>
 *   <li>{@link CertificateHostMismatchException} - {@code certificate-host-mismatch}</li>
 *   <li>{@link CertificateExpiredException}, {@link CertificateNotYetValidException}, or a
 *       {@link CertPathValidatorException} with reason EXPIRED / NOT_YET_VALID - {@code certificate-expired}</li>
 *   <li>{@link CertPathBuilderException} (no path to a trust anchor), other {@link CertPathValidatorException}s and
 *       other {@link CertificateException}s - {@code certificate-not-trusted} with a reason code</li>
 *   <li>everything else (timeouts, TLS alerts, no common protocol, resets) - {@code validation-failure} with a
 *       specific reason code</li>
 * </ol>
 *
 * Reason codes are ours (RFC 8460 leaves them free): {@code unknown-issuer}, {@code path-validation-<reason>},
 * {@code certificate-rejected}, {@code certificate-not-yet-valid}, {@code tls-remote-alert-<alert>},
 * {@code tls-protocol-version}, {@code tls-handshake-timeout}, {@code tls-connection-closed},
 * {@code tls-handshake-failure}, {@code reply-too-long}, {@code io-error}, {@code unclassified}.
 */
public final class TlsFailureClassifier {

    private static final int MAX_CAUSES = 32;

    // JSSE reports alerts received from the peer only as text ("Received fatal alert: protocol_version", see
    // sun.security.ssl.Alert); there is no typed accessor, so the alert name is the one piece of text we read.
    private static final String REMOTE_ALERT_PREFIX = "Received fatal alert: ";

    public Classification classify(Throwable failure) {
        List<Throwable> chain = causes(failure);

        Optional<Classification> typed = first(chain, StartTlsNotSupportedException.class)
            .map(e -> e.failureReasonCode()
                .map(code -> Classification.of(ResultType.STARTTLS_NOT_SUPPORTED, code))
                .orElseGet(() -> Classification.of(ResultType.STARTTLS_NOT_SUPPORTED)))
            .or(() -> first(chain, ReplyTooLongException.class)
                .map(e -> Classification.of(ResultType.VALIDATION_FAILURE, ReplyTooLongException.REASON_CODE)))
            .or(() -> first(chain, ClassifiedCertificateException.class)
                .map(ClassifiedCertificateException::classification))
            .or(() -> first(chain, CertificateHostMismatchException.class)
                .map(e -> Classification.of(ResultType.CERTIFICATE_HOST_MISMATCH)))
            .or(() -> expired(chain))
            .or(() -> notTrusted(chain));
        return typed.orElseGet(() -> validationFailure(chain));
    }

    private static Optional<Classification> expired(List<Throwable> chain) {
        if (first(chain, CertificateExpiredException.class).isPresent()) {
            return Optional.of(Classification.of(ResultType.CERTIFICATE_EXPIRED));
        }
        if (first(chain, CertificateNotYetValidException.class).isPresent()) {
            return Optional.of(Classification.of(ResultType.CERTIFICATE_EXPIRED, "certificate-not-yet-valid"));
        }
        for (Throwable t : chain) {
            if (t instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason reason = ((CertPathValidatorException) t).getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                    return Optional.of(Classification.of(ResultType.CERTIFICATE_EXPIRED));
                }
                if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return Optional.of(Classification.of(ResultType.CERTIFICATE_EXPIRED, "certificate-not-yet-valid"));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Classification> notTrusted(List<Throwable> chain) {
        if (first(chain, CertPathBuilderException.class).isPresent()) {
            // PKIX found no path from the presented chain to any configured trust anchor.
            return Optional.of(Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "unknown-issuer"));
        }
        Optional<CertPathValidatorException> validation = first(chain, CertPathValidatorException.class);
        if (validation.isPresent()) {
            CertPathValidatorException.Reason reason = validation.get().getReason();
            String code = reason == PKIXReason.NO_TRUST_ANCHOR ? "unknown-issuer"
                : "path-validation-" + reason.toString().toLowerCase(Locale.ROOT).replace('_', '-');
            return Optional.of(Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, code));
        }
        if (first(chain, CertificateException.class).isPresent()) {
            return Optional.of(Classification.of(ResultType.CERTIFICATE_NOT_TRUSTED, "certificate-rejected"));
        }
        return Optional.empty();
    }

    private static Classification validationFailure(List<Throwable> chain) {
        Optional<String> alert = chain.stream()
            .filter(t -> t instanceof SSLException && t.getMessage() != null)
            .map(Throwable::getMessage)
            .filter(m -> m.startsWith(REMOTE_ALERT_PREFIX))
            .map(m -> m.substring(REMOTE_ALERT_PREFIX.length()).trim())
            .findFirst();
        if (alert.isPresent()) {
            return Classification.of(ResultType.VALIDATION_FAILURE, alertCode(alert.get()));
        }
        if (protocolVersionRefused(chain)) {
            return Classification.of(ResultType.VALIDATION_FAILURE, "tls-protocol-version");
        }
        if (first(chain, SocketTimeoutException.class).isPresent()) {
            return Classification.of(ResultType.VALIDATION_FAILURE, "tls-handshake-timeout");
        }
        if (first(chain, EOFException.class).isPresent() || first(chain, SocketException.class).isPresent()) {
            return Classification.of(ResultType.VALIDATION_FAILURE, "tls-connection-closed");
        }
        if (first(chain, SSLException.class).isPresent()) {
            return Classification.of(ResultType.VALIDATION_FAILURE, "tls-handshake-failure");
        }
        if (first(chain, IOException.class).isPresent()) {
            return Classification.of(ResultType.VALIDATION_FAILURE, "io-error");
        }
        return Classification.of(ResultType.VALIDATION_FAILURE, "unclassified");
    }

    private static String alertCode(String alertName) {
        String name = alertName.toLowerCase(Locale.ROOT).replace('_', '-').replaceAll("[^a-z0-9-]", "");
        return "protocol-version".equals(name) ? "tls-protocol-version" : "tls-remote-alert-" + name;
    }

    // Our own side refusing the server's protocol choice, or no protocol in common at all. JSSE raises these
    // as untyped SSLHandshakeExceptions; the texts are those of sun.security.ssl.ServerHello / HandshakeContext.
    private static boolean protocolVersionRefused(List<Throwable> chain) {
        return chain.stream()
            .filter(t -> t instanceof SSLHandshakeException && t.getMessage() != null)
            .map(Throwable::getMessage)
            .anyMatch(m -> m.startsWith("No appropriate protocol")
                || m.contains("is not accepted by client preferences")
                || m.startsWith("The server selected protocol version"));
    }

    private static <T extends Throwable> Optional<T> first(List<Throwable> chain, Class<T> type) {
        return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = failure;
        while (current != null && chain.size() < MAX_CAUSES && seen.add(current)) {
            chain.add(current);
            for (Throwable suppressed : current.getSuppressed()) {
                if (seen.add(suppressed)) {
                    chain.add(suppressed);
                }
            }
            current = current.getCause();
        }
        return chain;
    }
}
