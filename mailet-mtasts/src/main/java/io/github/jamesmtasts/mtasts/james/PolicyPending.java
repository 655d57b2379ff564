package io.github.jamesmtasts.mtasts.james;

import java.time.Duration;

import javax.mail.MessagingException;

/**
 * Design rule H6: the mail's policy discovery is still running (or could not be queued yet). Not "no policy" and not
 * one of the mail's delivery retries: the loop puts the mail back for {@link #retryAfter()}, a bounded number of
 * times.
 */
final class PolicyPending extends MessagingException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    PolicyPending(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
