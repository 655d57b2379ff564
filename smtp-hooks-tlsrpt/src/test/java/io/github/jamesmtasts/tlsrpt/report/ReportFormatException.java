package io.github.jamesmtasts.tlsrpt.report;

/** A report written by someone else is not RFC 8460 4.4 JSON we can make sense of. */
public final class ReportFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public ReportFormatException(String message) {
        super(message);
    }

    public ReportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
