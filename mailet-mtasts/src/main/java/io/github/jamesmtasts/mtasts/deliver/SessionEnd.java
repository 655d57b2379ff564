package io.github.jamesmtasts.mtasts.deliver;

import java.util.Objects;
import java.util.Optional;

/** How one MX attempt ended, as far as TLS-RPT cares: input of {@link SessionResults#of}. */
public final class SessionEnd {

    public enum Kind {
        /** The verdict refused the host: no connection was made. */
        REFUSED,
        /** Opening the SMTP session failed (connect, greeting, EHLO, STARTTLS, handshake, AUTH). */
        FAILED,
        /** The SMTP session is open, over TLS or not. */
        ESTABLISHED
    }

    private final Kind kind;
    private final Optional<Throwable> failure;
    private final boolean encrypted;
    private final boolean tlsExpected;

    private SessionEnd(Kind kind, Optional<Throwable> failure, boolean encrypted, boolean tlsExpected) {
        this.kind = kind;
        this.failure = failure;
        this.encrypted = encrypted;
        this.tlsExpected = tlsExpected;
    }

    public static SessionEnd refused() {
        return new SessionEnd(Kind.REFUSED, Optional.empty(), false, false);
    }

    public static SessionEnd failed(Throwable failure) {
        return new SessionEnd(Kind.FAILED, Optional.of(failure), false, false);
    }

    /**
     * @param encrypted the session runs over TLS
     * @param tlsExpected STARTTLS was asked for (a policy applies, or the stock {@code startTLS} parameter is on)
     */
    public static SessionEnd established(boolean encrypted, boolean tlsExpected) {
        return new SessionEnd(Kind.ESTABLISHED, Optional.empty(), encrypted, tlsExpected);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Throwable> failure() {
        return failure;
    }

    public boolean encrypted() {
        return encrypted;
    }

    public boolean tlsExpected() {
        return tlsExpected;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionEnd)) {
            return false;
        }
        SessionEnd that = (SessionEnd) o;
        return kind == that.kind && failure.equals(that.failure) && encrypted == that.encrypted
            && tlsExpected == that.tlsExpected;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, failure, encrypted, tlsExpected);
    }

    @Override
    public String toString() {
        return kind + failure.map(f -> " " + f.getClass().getSimpleName()).orElse("")
            + (kind == Kind.ESTABLISHED ? (encrypted ? " TLS" : " plaintext") + (tlsExpected ? ", TLS expected" : "") : "");
    }
}
