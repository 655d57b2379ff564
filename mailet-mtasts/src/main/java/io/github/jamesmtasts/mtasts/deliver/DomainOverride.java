package io.github.jamesmtasts.mtasts.deliver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An administrator's per-domain override ({@code mtasts.domainOverrides}).
 * SPEC: {@code testing} and {@code enforce} change the mode in which a domain's PUBLISHED policy is applied (its
 * mx list is still needed); a domain without a policy stays without one. {@code disable} skips MTA-STS for the
 * domain entirely: no lookup, stock delivery, nothing recorded.
 */
public enum DomainOverride {
    DISABLE("disable"),
    TESTING("testing"),
    ENFORCE("enforce");

    private final String token;

    DomainOverride(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<DomainOverride> fromToken(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.token.equals(t)).findFirst();
    }

    public static String acceptedTokens() {
        return Arrays.stream(values()).map(DomainOverride::token).collect(Collectors.joining(", "));
    }
}
