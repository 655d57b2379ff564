package io.github.jamesmtasts.mtasts.james;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.mailet.Mail;

import io.github.jamesmtasts.mtasts.deliver.MailDecisions;

/**
 * Hands the {@link MailDecisions} of a mail's current delivery attempt from the {@link DeliveryLoop} to James's
 * per-host calls ({@link MtaStsMailDelivrerToHost}): James's {@code MailDelivrer} calls them inside
 * {@code deliver(mail)}, on the same thread, and its seam {@code tryDeliveryToHost(mail, addresses, host)} takes no
 * other argument. Keyed by the very {@code Mail} object; holds one entry per delivery in progress (at most
 * {@code deliveryThreads}), removed when the attempt ends, whatever happens.
 */
final class AttemptDecisions {

    private final Map<Mail, MailDecisions> byMail = Collections.synchronizedMap(new IdentityHashMap<>());

    /** Runs {@code attempt} with {@code decisions} visible to the per-host calls for {@code mail}. */
    <T> T during(Mail mail, MailDecisions decisions, Supplier<T> attempt) {
        byMail.put(mail, decisions);
        try {
            return attempt.get();
        } finally {
            byMail.remove(mail);
        }
    }

    /** Empty outside an attempt of the delivery loop: the caller must not use the host then (never fail open). */
    Optional<MailDecisions> of(Mail mail) {
        return Optional.ofNullable(byMail.get(mail));
    }
}
