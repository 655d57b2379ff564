package io.github.jamesmtasts.mtasts.deliver;

/** How certificate problems found during the handshake are treated. */
public enum TlsCheckMode {
    /** RFC 8461 5 {@code enforce}: any PKIX or name problem aborts the handshake. */
    REQUIRE,
    /**
     * RFC 8461 5 {@code testing}: the problem is remembered for the TLS-RPT record, the handshake completes and
     * the message is delivered over the (unauthenticated) TLS session, as opportunistic TLS would.
     */
    OBSERVE
}
