package io.github.jamesmtasts.tlsrpt.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of one background loop (design H1): the loop reports each run and each item it had to skip; the
 * health check asks {@link #status()}. A loop is unhealthy when it {@link #stopped stopped}, or when no run completed
 * within {@code maxSilence} of the last completed run (or of its start): a run that hangs or fails every time looks
 * the same to an operator as a dead thread. It is degraded when its last completed run skipped items.
 *
 * <p>Every skipped item and failed run is logged here at ERROR with the loop and the item, and counted (listeners,
 * e.g. a James metric), so that every loop reports failures the same way. Thread-safe.
 */
public final class LoopLiveness {

    private static final Logger LOGGER = LoggerFactory.getLogger(LoopLiveness.class);
    /**
     * Stack frames logged per throwable: a StackOverflowError carries 1,024 frames, and a hostile record that causes
     * one at every pass would otherwise add about 100 KB to the log each time.
     */
    static final int MAX_LOGGED_FRAMES = 40;
    private static final int MAX_LOGGED_CAUSES = 8;

    private final String name;
    private final Clock clock;
    private final Duration maxSilence;
    private final List<Consumer<String>> failureListeners = new CopyOnWriteArrayList<>();
    private Optional<Instant> startedAt = Optional.empty();
    private Optional<Instant> lastCompleted = Optional.empty();
    private Optional<String> stopped = Optional.empty();
    private Optional<String> lastFailure = Optional.empty();
    private int runSkipped;
    private int lastRunSkipped;
    private long failures;

    private LoopLiveness(String name, Clock clock, Duration maxSilence) {
        this.name = Objects.requireNonNull(name);
        this.clock = Objects.requireNonNull(clock);
        this.maxSilence = Objects.requireNonNull(maxSilence);
        if (maxSilence.isNegative() || maxSilence.isZero()) {
            throw new IllegalArgumentException(name + ": the liveness bound must be positive, got " + maxSilence);
        }
    }

    /**
     * @param name names the loop in logs, metrics and health checks (e.g. {@code tlsrpt-report-scheduler})
     * @param maxSilence the longest time between completed runs that is still healthy (e.g. three intervals)
     */
    public static LoopLiveness of(String name, Clock clock, Duration maxSilence) {
        return new LoopLiveness(name, clock, maxSilence);
    }

    public String name() {
        return name;
    }

    public Duration maxSilence() {
        return maxSilence;
    }

    /** {@code listener} receives the loop name once per skipped item or failed run (for a failure counter). */
    public void onFailure(Consumer<String> listener) {
        failureListeners.add(Objects.requireNonNull(listener));
    }

    /** The loop is scheduled / its thread runs; the liveness bound counts from now until the first run completes. */
    public synchronized void started() {
        startedAt = Optional.of(clock.instant());
        stopped = Optional.empty();
    }

    /** A run begins: items skipped from now on belong to it. */
    public synchronized void runStarted() {
        runSkipped = 0;
    }

    /** A run ended, whatever it skipped. */
    public synchronized void runCompleted() {
        lastCompleted = Optional.of(clock.instant());
        lastRunSkipped = runSkipped;
        runSkipped = 0;
    }

    /**
     * One item of a run failed and was skipped; the run goes on with the others. Logs at ERROR naming the item.
     *
     * @param item what was skipped, e.g. {@code "report of 2026-11-22 for example.com"}
     */
    public void itemFailed(String item, Throwable failure) {
        synchronized (this) {
            runSkipped++;
            lastFailure = Optional.of(item + ": " + failure);
        }
        LOGGER.error("{}: {} failed and was skipped; the other items go on", name, item, trimmed(failure));
        counted();
    }

    /** The run as a whole failed (not an item); the loop retries at its next run. Logs at ERROR. */
    public void runFailed(Throwable failure) {
        synchronized (this) {
            lastFailure = Optional.of(failure.toString());
        }
        LOGGER.error("{}: run failed; the next run retries", name, trimmed(failure));
        counted();
    }

    /** Like {@link #runFailed} for failures the caller already logged (e.g. a store outage logged once a minute). */
    public void runFailedQuietly(Throwable failure) {
        synchronized (this) {
            lastFailure = Optional.of(failure.toString());
        }
        counted();
    }

    /** The loop will not run any more (shut down, or its thread ended); unhealthy from now on. */
    public synchronized void stopped(String why) {
        stopped = Optional.of(why);
    }

    /** Skipped items and failed runs since the loop was created. */
    public synchronized long failures() {
        return failures;
    }

    public synchronized LoopStatus status() {
        if (stopped.isPresent()) {
            return LoopStatus.unhealthy(name + " stopped: " + stopped.get());
        }
        if (startedAt.isEmpty()) {
            return LoopStatus.unhealthy(name + " has not started");
        }
        Instant since = lastCompleted.orElse(startedAt.get());
        Instant now = clock.instant();
        if (Duration.between(since, now).compareTo(maxSilence) > 0) {
            return LoopStatus.unhealthy(name + ": no run completed since " + since + " (bound " + maxSilence + ")"
                + lastFailure.map(f -> "; last failure: " + f).orElse(""));
        }
        if (lastRunSkipped > 0) {
            return LoopStatus.degraded(name + ": the last run skipped " + lastRunSkipped + " item(s) after errors"
                + lastFailure.map(f -> "; last: " + f).orElse(""));
        }
        return LoopStatus.healthy();
    }

    /** {@code failure} with each stack trace of its cause chain cut to {@link #MAX_LOGGED_FRAMES} (it is not rethrown). */
    static Throwable trimmed(Throwable failure) {
        Throwable current = failure;
        for (int i = 0; current != null && i < MAX_LOGGED_CAUSES; i++, current = current.getCause()) {
            StackTraceElement[] frames = current.getStackTrace();
            if (frames.length > MAX_LOGGED_FRAMES) {
                current.setStackTrace(Arrays.copyOf(frames, MAX_LOGGED_FRAMES));
            }
        }
        return failure;
    }

    private void counted() {
        synchronized (this) {
            failures++;
        }
        for (Consumer<String> listener : failureListeners) {
            try {
                listener.accept(name);
            } catch (RuntimeException e) {
                LOGGER.warn("{}: failure listener failed", name, e);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + status() + ")";
    }
}
