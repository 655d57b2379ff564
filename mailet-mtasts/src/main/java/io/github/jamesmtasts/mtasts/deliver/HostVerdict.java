package io.github.jamesmtasts.mtasts.deliver;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.classify.Classification;

/** What to do with one MX host of one delivery, decided by {@link MxCheck} before connecting. */
public final class HostVerdict {

    public enum Kind {
        /** No policy applies: deliver exactly as the stock mailet would (its own startTLS settings). */
        STOCK,
        /** RFC 8461 5 enforce: STARTTLS, TLS 1.2+, PKIX and DNS-ID on the MX name, or no delivery to this host. */
        REQUIRE_TLS,
        /** RFC 8461 5 testing: opportunistic STARTTLS, every problem recorded, never refused for it. */
        OBSERVE_TLS,
        /** RFC 8461 5 enforce: this host must not be used; the caller treats it as unreachable. */
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
