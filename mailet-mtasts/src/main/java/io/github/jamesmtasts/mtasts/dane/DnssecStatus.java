package io.github.jamesmtasts.mtasts.dane;

/** RFC 4035 4.3: what DNSSEC validation concluded about one answer. */
public enum DnssecStatus {
    /** A chain of trust from a configured trust anchor validates the answer (or its denial of existence). */
    SECURE,
    /** Provably unsigned (a validated insecure delegation): DANE does not apply. */
    INSECURE,
    /** Signed, but validation failed: never trusted, never treated as insecure (RFC 7672 2.1.1). */
    BOGUS,
    /** No usable answer (SERVFAIL, timeout, truncation, an oversized answer): treated like bogus for a host. */
    INDETERMINATE
}
