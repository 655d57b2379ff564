package io.github.jamesmtasts.tlsrpt.send;

import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.NetworkText;

/** Whether one report reached one {@code rua} destination (RFC 8460 5.3/5.4). A failure is retried (5.5). */
public final class SendOutcome {

    public enum Kind {
        DELIVERED,
        FAILED
    }

    private final Kind kind;
    private final Optional<String> reason;

    /** Longest failure reason kept (in logs and the send state's {@code last_error}). */
    public static final int MAX_REASON_LENGTH = 1_024;

    private SendOutcome(Kind kind, Optional<String> reason) {
        this.kind = kind;
        // H4: reasons quote collectors (Location headers, exception texts); they are logged and stored as last_error.
        this.reason = reason.map(r -> NetworkText.clean(r, MAX_REASON_LENGTH));
    }

    public static SendOutcome delivered() {
        return new SendOutcome(Kind.DELIVERED, Optional.empty());
    }

    public static SendOutcome failed(String reason) {
        return new SendOutcome(Kind.FAILED, Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    public boolean isDelivered() {
        return kind == Kind.DELIVERED;
    }

    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SendOutcome)) {
            return false;
        }
        SendOutcome that = (SendOutcome) o;
        return kind == that.kind && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reason);
    }

    @Override
    public String toString() {
        return "SendOutcome{" + kind + reason.map(r -> " " + r).orElse("") + "}";
    }
}
