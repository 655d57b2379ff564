package io.github.jamesmtasts.mtasts.dane;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.classify.ClassifiedCertificateException;

/**
 * The certificate chain of a DANE MX host was refused (RFC 7672 3): thrown by {@link DaneTrustManager} so that JSSE
 * fails the handshake with it as the cause, carrying the RFC 8460 result type {@link TlsaMatcher} decided
 * ({@code tlsa-invalid}, {@code certificate-host-mismatch}, {@code certificate-expired}, {@code
 * certificate-not-trusted}), which {@code TlsFailureClassifier} records as it is.
 */
public final class DaneCertificateException extends ClassifiedCertificateException {

    private static final long serialVersionUID = 1L;

    private final transient DaneMatch refusal;

    public DaneCertificateException(DaneMatch refusal) {
        super(refusal.failure().orElseThrow(() -> new IllegalArgumentException("a match is no refusal: " + refusal)),
            refusal.failureReasonCode(), "DANE: " + refusal.detail());
        this.refusal = Objects.requireNonNull(refusal);
    }

    /** What the matcher concluded (absent after deserialisation). */
    public Optional<DaneMatch> refusal() {
        return Optional.ofNullable(refusal);
    }
}
