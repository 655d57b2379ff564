package io.github.jamesmtasts.mtasts.resolve;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs at most one computation per key at a time: concurrent callers for the same domain wait for, and share, the
 * result of the one running TXT lookup and fetch (so a burst of deliveries to a new domain fetches its policy once).
 * With {@link #run} the first caller computes on its own thread; with {@link #submit} the computation runs on an
 * executor and callers wait for it as long as they choose (design rule H6).
 */
final class SingleFlight<T> {

    /** {@link Flight#startedMillis} of a flight started by {@link #run}, which has no clock. */
    static final long UNKNOWN_START = -1L;

    static final class Flight<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final boolean forced;
        /**
         * When the computation was asked for, in the submitting caller's clock (for waits bounded per flight), or
         * {@link #UNKNOWN_START}.
         */
        final long startedMillis;

        Flight(boolean forced, long startedMillis) {
            this.forced = forced;
            this.startedMillis = startedMillis;
        }
    }

    private final ConcurrentHashMap<String, Flight<T>> flights = new ConcurrentHashMap<>();

    /**
     * @param forced a forced computation (re-check now, RFC 8461 5.1) never settles for the result of an ordinary
     *     one that was already running: it waits for it, then runs (or joins another forced one)
     */
    T run(String key, boolean forced, Supplier<T> computation) {
        while (true) {
            Flight<T> mine = new Flight<>(forced, UNKNOWN_START);
            Flight<T> running = flights.putIfAbsent(key, mine);
            if (running == null) {
                return compute(key, mine, computation);
            }
            T shared = await(running);
            if (running.forced || !forced) {
                return shared;
            }
        }
    }

    /**
     * Joins the running flight of {@code key}, or starts one on {@code executor}. The caller decides how long to wait
     * for {@code result}; a forced caller that got an ordinary flight back ({@code !forced}) submits again once it is
     * done. When the executor refuses the work (its queue is full), the returned flight has already failed with the
     * {@link RejectedExecutionException} and is no longer registered, so a later call tries again.
     *
     * @param nowMillis the caller's clock, recorded as the flight's start when this call starts it
     */
    Flight<T> submit(String key, boolean forced, Supplier<T> computation, Executor executor, long nowMillis) {
        Flight<T> mine = new Flight<>(forced, nowMillis);
        Flight<T> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        try {
            executor.execute(() -> {
                try {
                    mine.result.complete(computation.get());
                } catch (Throwable e) {
                    // Boundary of a pool task (H1): the waiters get the failure; the pool thread survives.
                    mine.result.completeExceptionally(e);
                } finally {
                    flights.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            flights.remove(key, mine);
            mine.result.completeExceptionally(e);
        }
        return mine;
    }

    private T compute(String key, Flight<T> mine, Supplier<T> computation) {
        try {
            T value = computation.get();
            mine.result.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.result.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    private static <T> T await(Flight<T> flight) {
        try {
            return flight.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e;
        }
    }

    /** Whether a computation for {@code key} is running now. */
    boolean isRunning(String key) {
        return flights.containsKey(key);
    }

    /** Number of computations running now. */
    int running() {
        return flights.size();
    }
}
