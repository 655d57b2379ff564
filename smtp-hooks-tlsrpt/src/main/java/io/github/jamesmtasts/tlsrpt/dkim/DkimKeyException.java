package io.github.jamesmtasts.tlsrpt.dkim;

/** A DKIM key file that cannot be used; the message names the file and what to do about it. */
public final class DkimKeyException extends Exception {

    private static final long serialVersionUID = 1L;

    public DkimKeyException(String message) {
        super(message);
    }

    public DkimKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
