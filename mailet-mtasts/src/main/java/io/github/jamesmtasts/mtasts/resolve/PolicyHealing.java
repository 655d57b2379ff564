package io.github.jamesmtasts.mtasts.resolve;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What healing a stale policy ({@link StalePolicyHealer}) last did for one domain on this node, for operators
 * (WebAdmin policy view): when it last refetched the policy and with what outcome, and when a refetch last found a
 * changed policy. Held in memory only. Immutable.
 */
public final class PolicyHealing {

    /** The outcome of one refetch. */
    public enum Outcome {
        /** The policy file changed under the unchanged id: the new policy was put in force at once. */
        CHANGED,
        /** The policy file is the cached policy: the refusals are not due to a stale policy. */
        UNCHANGED,
        /** The refetch failed: the cached policy stays in force (RFC 8461 3.3) and mails stay deferred. */
        FAILED
    }

    private final Instant lastRefetchAt;
    private final Outcome lastOutcome;
    private final Optional<Instant> lastChangedAt;
    private final int changes;

    private PolicyHealing(Instant lastRefetchAt, Outcome lastOutcome, Optional<Instant> lastChangedAt, int changes) {
        this.lastRefetchAt = Objects.requireNonNull(lastRefetchAt);
        this.lastOutcome = Objects.requireNonNull(lastOutcome);
        this.lastChangedAt = Objects.requireNonNull(lastChangedAt);
        this.changes = changes;
    }

    static PolicyHealing first(Instant at, Outcome outcome) {
        return new PolicyHealing(at, outcome, outcome == Outcome.CHANGED ? Optional.of(at) : Optional.empty(),
            outcome == Outcome.CHANGED ? 1 : 0);
    }

    PolicyHealing then(Instant at, Outcome outcome) {
        return outcome == Outcome.CHANGED ? new PolicyHealing(at, outcome, Optional.of(at), changes + 1)
            : new PolicyHealing(at, outcome, lastChangedAt, changes);
    }

    /** The same refetch with its final outcome (it was remembered as failed before it ran). */
    PolicyHealing settled(Outcome outcome) {
        return outcome == Outcome.CHANGED ? new PolicyHealing(lastRefetchAt, outcome, Optional.of(lastRefetchAt),
            changes + 1) : new PolicyHealing(lastRefetchAt, outcome, lastChangedAt, changes);
    }

    public Instant lastRefetchAt() {
        return lastRefetchAt;
    }

    public Outcome lastOutcome() {
        return lastOutcome;
    }

    /** When a refetch last found a changed policy under an unchanged id. */
    public Optional<Instant> lastChangedAt() {
        return lastChangedAt;
    }

    /** How many refetches found a changed policy since this node started (or first healed the domain). */
    public int changes() {
        return changes;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyHealing)) {
            return false;
        }
        PolicyHealing that = (PolicyHealing) o;
        return changes == that.changes && lastRefetchAt.equals(that.lastRefetchAt) && lastOutcome == that.lastOutcome
            && lastChangedAt.equals(that.lastChangedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastRefetchAt, lastOutcome, lastChangedAt, changes);
    }

    @Override
    public String toString() {
        return "PolicyHealing{" + lastOutcome + " at " + lastRefetchAt + ", changes=" + changes
            + lastChangedAt.map(c -> ", last change " + c).orElse("") + "}";
    }
}
