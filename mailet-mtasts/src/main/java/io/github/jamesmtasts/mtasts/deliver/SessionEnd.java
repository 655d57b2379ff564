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
    private final boolean certificateChecked;

    private SessionEnd(Kind kind, Optional<Throwable> failure, boolean encrypted, boolean tlsExpected,
                       boolean certificateChecked) {
        this.kind = kind;
        this.failure = failure;
        this.encrypted = encrypted;
        this.tlsExpected = tlsExpected;
        this.certificateChecked = certificateChecked;
    }

    public static SessionEnd refused() {
        return new SessionEnd(Kind.REFUSED, Optional.empty(), false, false, true);
    }

    public static SessionEnd failed(Throwable failure) {
        return new SessionEnd(Kind.FAILED, Optional.of(failure), false, false, true);
    }

    /**
     * @param encrypted the session runs over TLS
     * @param tlsExpected STARTTLS was asked for (a policy applies, or the stock {@code startTLS} parameter is on)
     * @param certificateChecked a certificate problem seen in the handshake is the session's failure
     *     ({@link TlsPlan#certificateProblemIsFailure()}: not without a policy, RFC 7435)
     */
    public static SessionEnd established(boolean encrypted, boolean tlsExpected, boolean certificateChecked) {
        return new SessionEnd(Kind.ESTABLISHED, Optional.empty(), encrypted, tlsExpected, certificateChecked);
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

    public boolean certificateChecked() {
        return certificateChecked;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionEnd)) {
            return false;
        }
        SessionEnd that = (SessionEnd) o;
        return kind == that.kind && failure.equals(that.failure) && encrypted == that.encrypted
            && tlsExpected == that.tlsExpected && certificateChecked == that.certificateChecked;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, failure, encrypted, tlsExpected, certificateChecked);
    }

    @Override
    public String toString() {
        return kind + failure.map(f -> " " + f.getClass().getSimpleName()).orElse("")
            + (kind == Kind.ESTABLISHED ? (encrypted ? " TLS" : " plaintext") + (tlsExpected ? ", TLS expected" : "")
            + (certificateChecked ? "" : ", certificate not checked") : "");
    }
}
