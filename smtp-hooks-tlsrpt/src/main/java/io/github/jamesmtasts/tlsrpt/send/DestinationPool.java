package io.github.jamesmtasts.tlsrpt.send;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where report destinations are sent: a small fixed pool of threads, so that a collector hanging until its deadline
 * holds one thread while the other destinations go on. A caller submits its destinations then {@link #await}s them
 * with a bound of {@code perTask x ceil(submitted / threads) + MARGIN}; what has not started by then is cancelled
 * (a send that started still settles its own claim).
 */
public final class DestinationPool implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(DestinationPool.class);

    public static final int DEFAULT_THREADS = 4;
    public static final int MAX_THREADS = 64;
    /** Added once to a caller's wait: store writes and scheduling on top of the per-task worst cases. */
    public static final Duration MARGIN = Duration.ofMinutes(1);

    private final ExecutorService executor;
    private final int threads;
    private final Duration perTask;

    private DestinationPool(ExecutorService executor, int threads, Duration perTask) {
        this.executor = executor;
        this.threads = threads;
        this.perTask = perTask;
    }

    /**
     * @param threads   how many destinations are sent at once, 1 to {@link #MAX_THREADS}
     * @param perTask   the worst case of one destination's send (e.g. twice the HTTPS deadline, as the claim lease)
     * @param namePrefix names the daemon threads in thread dumps
     */
    public static DestinationPool of(int threads, Duration perTask, String namePrefix) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("report send threads must be between 1 and " + MAX_THREADS + ", got "
                + threads);
        }
        if (perTask.isNegative() || perTask.isZero()) {
            throw new IllegalArgumentException("the worst case of one report send must be positive, got " + perTask);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, namePrefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return new DestinationPool(executor, threads, perTask);
    }

    /** Starts {@code task}; a task refused by a pool shut down completes with that refusal, which await skips. */
    <T> Future<T> submit(Callable<T> task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** How long a caller waits for {@code submitted} tasks of its own. */
    Duration waitBound(int submitted) {
        long rounds = (submitted + threads - 1) / threads;
        return perTask.multipliedBy(rounds).plus(MARGIN);
    }

    /**
     * The results of {@code futures} in their order; empty for a task that failed, was refused or did not finish
     * within {@link #waitBound}({@code submitted}), which is then cancelled if it has not started.
     *
     * @param what names the work in the log line of a timeout
     */
    <T> List<Optional<T>> await(List<Future<T>> futures, int submitted, String what) {
        long deadline = System.nanoTime() + waitBound(submitted).toNanos();
        List<Optional<T>> results = new ArrayList<>();
        int late = 0;
        boolean interrupted = false;
        for (Future<T> future : futures) {
            Optional<T> result = Optional.empty();
            try {
                if (interrupted) {
                    future.cancel(false);
                    late++;
                } else {
                    result = Optional.ofNullable(future.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS));
                }
            } catch (TimeoutException e) {
                future.cancel(false);
                late++;
            } catch (InterruptedException e) {
                // Shutting down: stop waiting, leave running sends to settle their own claims.
                interrupted = true;
                future.cancel(false);
                late++;
            } catch (ExecutionException | CancellationException e) {
                // The task's own boundary logged and counted it (design H1); a refusal means the pool is shut down.
            }
            results.add(result);
        }
        if (late > 0) {
            LOGGER.warn("{}: {} of {} destinations not settled within {} ({} send threads); unsent ones are retried"
                + " by the next pass", what, late, futures.size(), waitBound(submitted), threads);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return results;
    }

    /** Stops the threads; sends in progress are interrupted, their claims expire after the lease. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOGGER.warn("TLS-RPT report send threads still running 10 s after shutdown");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DestinationPool[" + threads + " threads, " + perTask + " per task]";
    }
}
