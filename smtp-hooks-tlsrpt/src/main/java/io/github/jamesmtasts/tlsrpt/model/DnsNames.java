package io.github.jamesmtasts.tlsrpt.model;

import java.util.Locale;

/** Text forms of DNS names shared by both modules: comparisons and reports use lower case without the root dot. */
public final class DnsNames {

    private DnsNames() {
    }

    /** {@code "mx.example.com."} becomes {@code "mx.example.com"}; other names are returned unchanged. */
    public static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * Lower case, without the trailing dot: the form in which RFC 8461 4.1 compares MX names (case-insensitive,
     * trailing dot ignored) and RFC 8460 4.4 writes them.
     */
    public static String canonical(String name) {
        return withoutTrailingDot(name.toLowerCase(Locale.ROOT));
    }
}
