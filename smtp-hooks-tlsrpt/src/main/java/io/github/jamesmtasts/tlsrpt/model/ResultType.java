package io.github.jamesmtasts.tlsrpt.model;

import java.util.Arrays;
import java.util.Optional;

/** RFC 8460 4.3 result types, with their exact wire tokens. */
public enum ResultType {
    // 4.3.1 negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    // 4.3.2 policy failures (MTA-STS)
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid"),
    // 4.3.2.1 policy failures (DANE, RFC 7672): tlsa-invalid from the DANE trust manager's refusals
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required");

    private final String token;

    ResultType(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** Tolerant reading of reports written by others: unknown tokens are empty, not an error. */
    public static Optional<ResultType> fromToken(String token) {
        return Arrays.stream(values()).filter(t -> t.token.equals(token)).findFirst();
    }
}
