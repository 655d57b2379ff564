package io.github.jamesmtasts.mtasts.resolve;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs at most one computation per key at a time: concurrent callers for the same domain wait for, and share, the
 * result of the one running TXT lookup and fetch (so a burst of deliveries to a new domain fetches its policy once).
 * The first caller computes on its own thread.
 */
final class SingleFlight<T> {

    private static final class Flight<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final boolean forced;

        Flight(boolean forced) {
            this.forced = forced;
        }
    }

    private final ConcurrentHashMap<String, Flight<T>> flights = new ConcurrentHashMap<>();

    /**
     * @param forced a forced computation (re-check now, RFC 8461 5.1) never settles for the result of an ordinary
     *     one that was already running: it waits for it, then runs (or joins another forced one)
     */
    T run(String key, boolean forced, Supplier<T> computation) {
        while (true) {
            Flight<T> mine = new Flight<>(forced);
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

    /** Number of computations running now. */
    int running() {
        return flights.size();
    }
}
