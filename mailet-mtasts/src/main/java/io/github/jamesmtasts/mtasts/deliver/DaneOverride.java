package io.github.jamesmtasts.mtasts.deliver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether DANE for SMTP (RFC 7672) applies to a recipient domain: the mailet-wide {@code mtasts.dane} or the
 * administrator's per-domain {@code mtasts.daneOverrides}.
 */
public enum DaneOverride {
    /** DANE where the domain publishes it (RFC 7672 2.2): a secure MX RRset and TLSA records; MTA-STS elsewhere. */
    ON("on"),
    /** No DNSSEC lookups for the domain: MTA-STS (or nothing) as without DANE. */
    OFF("off"),
    /**
     * Like {@code on}, and an MX host without a secure TLSA RRset is refused, recorded {@code dane-required}
     * (RFC 8460 4.3.2.1).
     */
    REQUIRED("required");

    private final String token;

    DaneOverride(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<DaneOverride> fromToken(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.token.equals(t)).findFirst();
    }

    public static String acceptedTokens() {
        return Arrays.stream(values()).map(DaneOverride::token).collect(Collectors.joining(", "));
    }
}
