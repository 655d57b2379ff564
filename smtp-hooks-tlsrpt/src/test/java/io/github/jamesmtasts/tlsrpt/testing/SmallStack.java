package io.github.jamesmtasts.tlsrpt.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a parse on a thread with a deliberately small stack (256 KiB), so that a parser whose recursion grows with its
 * input (a regex such as {@code (a|b)*}) fails the test with a {@link StackOverflowError} at test sizes (10 KB,
 * 65,535 bytes) instead of only on some production thread with less stack left.
 */
public final class SmallStack {

    public static final long STACK_BYTES = 256 * 1024;

    private SmallStack() {
    }

    /** @return what {@code work} returned; rethrows whatever it threw (a {@link StackOverflowError} included) */
    public static <T> T call(Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(work.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "small-stack", STACK_BYTES);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the small-stack thread", e);
        }
        Throwable t = failure.get();
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return result.get();
    }
}
