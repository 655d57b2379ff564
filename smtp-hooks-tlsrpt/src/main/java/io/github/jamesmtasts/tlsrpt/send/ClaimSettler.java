package io.github.jamesmtasts.tlsrpt.send;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.SendClaim;

/**
 * Settles a claimed destination after its send: marked sent, failed with its next attempt (RFC 8460 5.5 back-off),
 * or given up when the schedule is over. A claim another node took over meanwhile is reported, not overwritten.
 */
final class ClaimSettler {

    private static final Logger LOGGER = LoggerFactory.getLogger(ClaimSettler.class);

    private final ResultStore store;
    private final RetrySchedule retrySchedule;
    private final Clock clock;

    ClaimSettler(ResultStore store, RetrySchedule retrySchedule, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.retrySchedule = Objects.requireNonNull(retrySchedule);
        this.clock = Objects.requireNonNull(clock);
    }

    DispatchResult settle(SendClaim claim, SendOutcome outcome) {
        Instant now = clock.instant();
        DispatchResult.Kind kind;
        boolean kept;
        if (outcome.isDelivered()) {
            kept = store.markSent(claim, now);
            kind = DispatchResult.Kind.SENT;
        } else {
            String error = outcome.reason().orElse("failed");
            Optional<Instant> next = retrySchedule.nextAttempt(claim.firstAttempt(), claim.attempt(), now);
            if (next.isPresent()) {
                kept = store.markFailed(claim, next.get(), error);
                kind = DispatchResult.Kind.RETRY_SCHEDULED;
            } else {
                kept = store.giveUp(claim, now, error);
                kind = DispatchResult.Kind.GAVE_UP;
            }
        }
        if (!kept) {
            LOGGER.warn("TLS-RPT report of {} for {} to {}: claim taken over by another node while sending ({});"
                + " the collector may receive it twice", claim.day(), claim.policyDomain(), claim.rua(), kind);
            kind = DispatchResult.Kind.CLAIM_LOST;
        } else if (kind == DispatchResult.Kind.SENT) {
            LOGGER.info("TLS-RPT report of {} for {} sent to {}", claim.day(), claim.policyDomain(), claim.rua());
        } else {
            LOGGER.warn("TLS-RPT report of {} for {} to {} failed (attempt {}, {}): {}", claim.day(),
                claim.policyDomain(), claim.rua(), claim.attempt(), kind, outcome.reason().orElse(""));
        }
        return DispatchResult.forDestination(claim.day(), claim.policyDomain(), claim.rua(), kind, outcome.reason());
    }
}
