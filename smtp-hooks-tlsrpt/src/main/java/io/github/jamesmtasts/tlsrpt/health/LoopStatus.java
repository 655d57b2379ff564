package io.github.jamesmtasts.tlsrpt.health;

import java.util.Objects;
import java.util.Optional;

/** What a {@link LoopLiveness} says about its loop: healthy, degraded (items skipped) or unhealthy, with why. */
public final class LoopStatus {

    /** Healthy: runs complete in time. Degraded: the last run skipped items. Unhealthy: stopped or overdue. */
    public enum Kind { HEALTHY, DEGRADED, UNHEALTHY }

    private static final LoopStatus HEALTHY = new LoopStatus(Kind.HEALTHY, Optional.empty());

    private final Kind kind;
    private final Optional<String> reason;

    private LoopStatus(Kind kind, Optional<String> reason) {
        this.kind = kind;
        this.reason = reason;
    }

    public static LoopStatus healthy() {
        return HEALTHY;
    }

    public static LoopStatus degraded(String reason) {
        return new LoopStatus(Kind.DEGRADED, Optional.of(reason));
    }

    public static LoopStatus unhealthy(String reason) {
        return new LoopStatus(Kind.UNHEALTHY, Optional.of(reason));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<String> reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LoopStatus)) {
            return false;
        }
        LoopStatus that = (LoopStatus) o;
        return kind == that.kind && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reason);
    }

    @Override
    public String toString() {
        return kind + reason.map(r -> ": " + r).orElse("");
    }
}
