package io.github.jamesmtasts.tlsrpt.net;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.jamesmtasts.tlsrpt.net.HttpsExchange.DeadlineExceededException;

/**
 * The one deadline of an exchange (design H5): how long the next read may still wait, and the failure to report once
 * it passed. Counted on a monotonic nanosecond clock ({@link System#nanoTime()} in production).
 */
final class Deadline {

    private final LongSupplier nanoTime;
    private final long deadlineNanos;
    private final String expiredMessage;

    /** @param what names the exchange in the failure, e.g. {@code the exchange with host:port} */
    Deadline(Duration timeout, LongSupplier nanoTime, String what) {
        this.nanoTime = nanoTime;
        this.deadlineNanos = nanoTime.getAsLong() + timeout.toNanos();
        this.expiredMessage = what + " did not complete within " + timeout;
    }

    static Deadline after(Duration timeout, String what) {
        return new Deadline(timeout, System::nanoTime, what);
    }

    /** Whole milliseconds left: 0 once less than one is left (0 must never reach a socket: it means "no timeout"). */
    int remainingMillis() {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - nanoTime.getAsLong());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, millis));
    }

    DeadlineExceededException exceeded() {
        return new DeadlineExceededException(expiredMessage);
    }

    /** {@code failure} as a {@link DeadlineExceededException} when the deadline passed or a read timed out. */
    IOException timedOutOr(IOException failure) {
        if (failure instanceof DeadlineExceededException) {
            return failure;
        }
        if (remainingMillis() <= 0 || failure instanceof SocketTimeoutException) {
            DeadlineExceededException expired = exceeded();
            expired.initCause(failure);
            return expired;
        }
        return failure;
    }
}
