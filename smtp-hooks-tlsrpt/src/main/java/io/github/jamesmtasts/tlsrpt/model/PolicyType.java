package io.github.jamesmtasts.tlsrpt.model;

import java.util.Arrays;
import java.util.Optional;

/** RFC 8460 4.4 {@code policy-type}. */
public enum PolicyType {
    STS("sts"),
    TLSA("tlsa"),
    NO_POLICY_FOUND("no-policy-found");

    private final String token;

    PolicyType(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<PolicyType> fromToken(String token) {
        return Arrays.stream(values()).filter(t -> t.token.equals(token)).findFirst();
    }
}
