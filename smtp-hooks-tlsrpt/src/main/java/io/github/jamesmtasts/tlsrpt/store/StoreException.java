package io.github.jamesmtasts.tlsrpt.store;

/** A durable store could not be read or written. The message names the database and, where known, what to fix. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
