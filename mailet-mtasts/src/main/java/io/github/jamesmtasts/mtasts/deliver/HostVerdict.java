package io.github.jamesmtasts.mtasts.deliver;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.classify.Classification;

/** What to do with one MX host of one delivery, decided by {@link MxCheck} or {@link DaneCheck} before connecting. */
public final class HostVerdict {

    public enum Kind {
        /** No policy applies: deliver exactly as the stock mailet would (its own startTLS settings). */
        STOCK,
        /** RFC 8461 5 enforce: STARTTLS, TLS 1.2+, PKIX and DNS-ID on the MX name, or no delivery to this host. */
        REQUIRE_TLS,
        /** RFC 8461 5 testing: opportunistic STARTTLS, every problem recorded, never refused for it. */
        OBSERVE_TLS,
        /**
         * RFC 7672 2.2, 3.1: DANE applies with usable TLSA records: STARTTLS required, TLS 1.2+, SNI = MX name, the
         * certificate must match one of the host's TLSA records; no plaintext, never an unmatched peer.
         */
        DANE_AUTHENTICATE,
        /**
         * RFC 7672 2.2 (Postfix "encrypt"): a secure TLSA RRset without usable records: STARTTLS required, TLS 1.2+,
         * the certificate is not checked; no plaintext.
         */
        DANE_ENCRYPT_ONLY,
        /** RFC 8461 5 enforce, RFC 7672 2.1.1, 2.2: this host must not be used; the caller treats it as unreachable. */
        REFUSE
    }

    private final Kind kind;
    private final Optional<Classification> failure;
    private final String reason;

    private HostVerdict(Kind kind, Optional<Classification> failure, String reason) {
        this.kind = kind;
        this.failure = failure;
        this.reason = reason;
    }

    public static HostVerdict stock() {
        return new HostVerdict(Kind.STOCK, Optional.empty(), "no MTA-STS policy applies");
    }

    public static HostVerdict requireTls() {
        return new HostVerdict(Kind.REQUIRE_TLS, Optional.empty(), "enforce: MX matches the policy");
    }

    /** RFC 7672 3.1: the MX's certificate must match its TLSA records. */
    public static HostVerdict daneAuthenticate(String reason) {
        return new HostVerdict(Kind.DANE_AUTHENTICATE, Optional.empty(), reason);
    }

    /** RFC 7672 2.2: TLS required, the certificate not checked (no usable TLSA record). */
    public static HostVerdict daneEncryptOnly(String reason) {
        return new HostVerdict(Kind.DANE_ENCRYPT_ONLY, Optional.empty(), reason);
    }

    /** Whether the host may only be reached over TLS and every failure to get there refuses it (H3). */
    public boolean requiresTls() {
        return kind == Kind.REQUIRE_TLS || kind == Kind.DANE_AUTHENTICATE || kind == Kind.DANE_ENCRYPT_ONLY;
    }

    public static HostVerdict observeTls(String reason) {
        return new HostVerdict(Kind.OBSERVE_TLS, Optional.empty(), reason);
    }

    /** Testing mode with a problem already known before connecting (the MX does not match the policy). */
    public static HostVerdict observeTls(Classification knownFailure, String reason) {
        return new HostVerdict(Kind.OBSERVE_TLS, Optional.of(knownFailure), reason);
    }

    /** @param failure what to record for the refusal; empty when the refusal is not a session result */
    public static HostVerdict refuse(Optional<Classification> failure, String reason) {
        return new HostVerdict(Kind.REFUSE, failure, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** A failure known before any connection: recorded for the session whatever happens next. */
    public Optional<Classification> failure() {
        return failure;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostVerdict)) {
            return false;
        }
        HostVerdict that = (HostVerdict) o;
        return kind == that.kind && failure.equals(that.failure) && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, failure, reason);
    }

    @Override
    public String toString() {
        return kind + failure.map(f -> " " + f).orElse("") + " (" + reason + ")";
    }
}
