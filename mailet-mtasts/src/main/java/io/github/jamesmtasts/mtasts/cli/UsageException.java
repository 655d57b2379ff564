package io.github.jamesmtasts.mtasts.cli;

/** The command line cannot be run as given; the message says what is wrong and how to fix it (exit status 2). */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
