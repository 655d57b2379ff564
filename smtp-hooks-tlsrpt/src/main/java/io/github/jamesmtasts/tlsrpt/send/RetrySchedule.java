package io.github.jamesmtasts.tlsrpt.send;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 8460 5.5: a report that could not be delivered is retried with exponential back-off, for at most 24 hours from
 * the first attempt, each destination on its own. Pure arithmetic: callers bring the times.
 */
public final class RetrySchedule {

    public static final Duration FIRST_DELAY = Duration.ofMinutes(5);
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private final Duration firstDelay;
    private final Duration giveUpAfter;

    private RetrySchedule(Duration firstDelay, Duration giveUpAfter) {
        if (firstDelay.isNegative() || firstDelay.isZero() || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("retry delays must be positive");
        }
        this.firstDelay = firstDelay;
        this.giveUpAfter = giveUpAfter;
    }

    /** 5 minutes, doubling, giving up 24 hours after the first attempt. */
    public static RetrySchedule rfc8460() {
        return new RetrySchedule(FIRST_DELAY, GIVE_UP_AFTER);
    }

    public static RetrySchedule of(Duration firstDelay, Duration giveUpAfter) {
        return new RetrySchedule(firstDelay, giveUpAfter);
    }

    /**
     * @param firstAttempt when the destination was first tried
     * @param failedAttempts how many attempts failed so far, at least 1
     * @param lastFailure when the latest attempt failed
     * @return when to try next; empty once the 24 hours are used up (give up, log, count the loss)
     */
    public Optional<Instant> nextAttempt(Instant firstAttempt, int failedAttempts, Instant lastFailure) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("nextAttempt is asked after a failure: failedAttempts >= 1");
        }
        Instant deadline = firstAttempt.plus(giveUpAfter);
        if (!lastFailure.isBefore(deadline)) {
            return Optional.empty();
        }
        Instant next = lastFailure.plus(delay(failedAttempts));
        // One last try exactly at the end of the window rather than giving up before it.
        return Optional.of(next.isAfter(deadline) ? deadline : next);
    }

    /** {@code firstDelay * 2^(failedAttempts-1)}, saturating instead of overflowing. */
    Duration delay(int failedAttempts) {
        int doublings = Math.min(failedAttempts - 1, 40);
        Duration delay = firstDelay.multipliedBy(1L << doublings);
        return delay.compareTo(giveUpAfter) > 0 ? giveUpAfter : delay;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RetrySchedule)) {
            return false;
        }
        RetrySchedule that = (RetrySchedule) o;
        return firstDelay.equals(that.firstDelay) && giveUpAfter.equals(that.giveUpAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstDelay, giveUpAfter);
    }

    @Override
    public String toString() {
        return "RetrySchedule{first=" + firstDelay + ", giveUpAfter=" + giveUpAfter + "}";
    }
}
