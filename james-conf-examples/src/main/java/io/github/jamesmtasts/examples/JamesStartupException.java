package io.github.jamesmtasts.examples;

/** James did not become ready (exited, or timed out); the message carries the end of its log. */
public final class JamesStartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String logTail;

    JamesStartupException(String reason, String logTail) {
        super(reason + "\n----- last lines of the James log -----\n" + logTail + "\n----- end of the James log -----");
        this.logTail = logTail;
    }

    public String logTail() {
        return logTail;
    }
}
