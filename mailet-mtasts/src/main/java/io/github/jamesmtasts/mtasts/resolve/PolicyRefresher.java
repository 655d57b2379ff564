package io.github.jamesmtasts.mtasts.resolve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.health.LoopLiveness;

/**
 * RFC 8461 3.3 (R): "MTAs SHOULD proactively refresh cached policies before they expire; a suggested refresh
 * frequency is once per day", and "SHOULD alert administrators ... when such attempts fail, unless the cached policy
 * mode is none". Once a day (jittered, so that cluster nodes and restarted servers spread out) it re-checks the TXT id
 * of every cached policy that is not {@code mode: none} and was used recently, re-fetches those past half their
 * lifetime, and logs an alert after {@link ResolverSettings#alertAfterFailures()} failures in a row.
 */
public final class PolicyRefresher implements AutoCloseable {

    public static final Duration PERIOD = Duration.ofDays(1);
    public static final Duration JITTER = Duration.ofHours(1);
    /** The first run waits a little after startup, so that James starts without an I/O burst. */
    static final Duration FIRST_RUN_DELAY = Duration.ofMinutes(5);
    /** Names the refresher in logs, its failure metric and its {@code /healthcheck} component. */
    public static final String LOOP_NAME = "mtasts-policy-refresher";
    /** Unhealthy when no run completed for two periods (with jitter): one missed day is noticed the next. */
    public static final Duration LIVENESS_BOUND = PERIOD.plus(JITTER).multipliedBy(2);

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyRefresher.class);

    /** What one run did. */
    public static final class Summary {
        private final int checked;
        private final int failed;
        private final int alerts;
        private final int evicted;

        Summary(int checked, int failed, int alerts, int evicted) {
            this.checked = checked;
            this.failed = failed;
            this.alerts = alerts;
            this.evicted = evicted;
        }

        public int checked() {
            return checked;
        }

        public int failed() {
            return failed;
        }

        public int alerts() {
            return alerts;
        }

        public int evicted() {
            return evicted;
        }

        @Override
        public String toString() {
            return "checked " + checked + ", failed " + failed + ", alerts " + alerts + ", evicted " + evicted;
        }
    }

    private final DefaultPolicyResolver resolver;
    private final ScheduledExecutorService executor;
    private final Random random;
    private final Clock clock;
    private final ResolverListener listener;
    private final LoopLiveness liveness;
    private volatile ScheduledFuture<?> next;
    private volatile boolean closed;

    /**
     * @param executor runs the daily task; owned by the caller
     * @param random jitter source; seed it in tests
     */
    public PolicyRefresher(DefaultPolicyResolver resolver, ScheduledExecutorService executor, Random random, Clock clock,
                           ResolverListener listener) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.liveness = LoopLiveness.of(LOOP_NAME, clock, LIVENESS_BOUND);
    }

    /** The refresher's liveness, for the health check (design H1). */
    public LoopLiveness liveness() {
        return liveness;
    }

    /** Schedules the first run {@link #FIRST_RUN_DELAY} plus up to {@link #JITTER} from now, then daily. */
    public void start() {
        liveness.started();
        schedule(FIRST_RUN_DELAY.plus(jitter(JITTER)));
    }

    /** The delay before the run after this one: a day, give or take half the jitter. */
    Duration nextDelay() {
        return PERIOD.minus(JITTER.dividedBy(2)).plus(jitter(JITTER));
    }

    private Duration jitter(Duration max) {
        synchronized (random) {
            return Duration.ofMillis((long) (random.nextDouble() * max.toMillis()));
        }
    }

    private void schedule(Duration delay) {
        if (!closed) {
            try {
                next = executor.schedule(this::runAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                liveness.stopped("its executor refused the next run: " + e.getMessage());
                LOGGER.error("MTA-STS policy refresh stopped: its executor refused the next run", e);
            }
        }
    }

    /** Never throws, not even an {@link Error} (design H1): the next run is always scheduled. */
    private void runAndReschedule() {
        liveness.runStarted();
        try {
            runOnce();
            liveness.runCompleted();
        } catch (Throwable e) {
            liveness.runFailed(e);
        } finally {
            schedule(nextDelay());
        }
    }

    /** One refresh run over every cached policy, then eviction of unused expired ones. */
    public Summary runOnce() {
        Instant now = clock.instant();
        Instant usedSince = now.minus(resolver.settings().evictUnusedAfter());
        int checked = 0;
        int failed = 0;
        int alerts = 0;
        for (CachedPolicy policy : resolver.cachedPolicies()) {
            // RFC 8461 3.3: mode none needs neither refresh nor alerts; SPEC: nor do policies nobody used for the
            // eviction period - they are left to expire and are then evicted.
            if (policy.policy().mode() == Mode.NONE || policy.lastUsedAt().isBefore(usedSince)) {
                continue;
            }
            checked++;
            try {
                resolver.refresh(policy.domain());
                Optional<CachedPolicy> after = resolver.cached(policy.domain());
                int failures = after.map(CachedPolicy::consecutiveFailures).orElse(0);
                if (failures > 0) {
                    failed++;
                    boolean alert = failures >= resolver.settings().alertAfterFailures()
                        && after.get().policy().mode() != Mode.NONE;
                    report(after.get(), alert);
                    if (alert) {
                        alerts++;
                    }
                }
            } catch (Throwable e) {
                // Design H1: one domain (a hostile record, a store row) never stops the refresh of the others.
                failed++;
                liveness.itemFailed("MTA-STS policy refresh of " + policy.domain(), e);
            }
        }
        int evicted = resolver.maintain();
        Summary summary = new Summary(checked, failed, alerts, evicted);
        LOGGER.info("MTA-STS policy refresh: {}", summary);
        return summary;
    }

    private void report(CachedPolicy policy, boolean alert) {
        String message = "MTA-STS policy of " + policy.domain() + " (id " + policy.recordId() + ", mode "
            + policy.policy().mode().token() + ", expires " + policy.expiresAt() + ") could not be refreshed "
            + policy.consecutiveFailures() + " time(s) in a row: " + policy.lastFailure().orElse("unknown")
            + "; check _mta-sts." + policy.domain() + " and https://mta-sts." + policy.domain()
            + "/.well-known/mta-sts.txt";
        if (alert) {
            LOGGER.error("ALERT {}", message);
        } else {
            LOGGER.warn(message);
        }
        listener.refreshFailure(policy.domain().asString(), policy.consecutiveFailures(), alert);
    }

    @Override
    public void close() {
        closed = true;
        liveness.stopped("closed (James is stopping?)");
        ScheduledFuture<?> scheduled = next;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
