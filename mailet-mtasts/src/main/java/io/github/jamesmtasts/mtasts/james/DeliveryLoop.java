package io.github.jamesmtasts.mtasts.james;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailPrioritySupport;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.james.transport.mailets.remote.delivery.Delay;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRetriesHelper;
import org.apache.james.transport.mailets.remote.delivery.ExecutionResult;
import org.apache.james.transport.mailets.remote.delivery.MailDelivrer;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.deliver.MailDecisions;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Our own dequeue / retry loop over the outgoing queue (James's {@code DeliveryRunnable} cannot be given another
 * {@code MailDelivrer}). Retries and delays follow the stock parameters ({@code maxRetries}, {@code delayTime});
 * bounces go through James's {@link Bouncer}. MTA-STS additions:
 * <ul>
 *   <li>a policy that is temporarily unknown defers the mail, never bounces it (RFC 8461 5);</li>
 *   <li>before any permanent failure the policy is re-checked and, when it changed, the mail is tried once more
 *       with the new policy (RFC 8461 5.1);</li>
 *   <li>a policy discovery that a delivery thread waited for as long as it may (design rule H6) puts the mail back
 *       into the queue for a short delay, without counting a retry, at most {@link #MAX_POLICY_DEFERRALS} times;
 *       the thread goes on with other mails while the discovery continues on the resolver's pool.</li>
 * </ul>
 */
final class DeliveryLoop implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(DeliveryLoop.class);
    private static final Duration RESUBSCRIBE_MIN = Duration.ofSeconds(1);
    private static final Duration RESUBSCRIBE_MAX = Duration.ofMinutes(1);

    /**
     * H6: uncounted deferrals of one mail while its policy discovery runs. With the default 10 s deferral that is
     * 5 minutes, several fetch timeouts (at most 60 s, RFC 8461 3.3); afterwards a pending discovery counts as an
     * ordinary temporary failure (retry schedule, maxRetries), so no mail is deferred forever.
     */
    static final int MAX_POLICY_DEFERRALS = 30;
    static final AttributeName POLICY_DEFERRALS = AttributeName.of("io.github.jamesmtasts.mtasts.policyDeferrals");

    private final MailQueue queue;
    private final RemoteDeliveryConfiguration configuration;
    private final MailDelivrer delivrer;
    private final Bouncer bouncer;
    private final MailetContext mailetContext;
    private final PolicyGate policyGate;
    private final AttemptDecisions attempts;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private Disposable subscription;
    private Scheduler workers;
    private Scheduler dequeuer;

    DeliveryLoop(MailQueue queue, RemoteDeliveryConfiguration configuration, MailDelivrer delivrer, Bouncer bouncer,
                 MailetContext mailetContext, PolicyGate policyGate, AttemptDecisions attempts, DeliveryMetrics metrics,
                 Clock clock) {
        this.queue = Objects.requireNonNull(queue);
        this.configuration = configuration;
        this.delivrer = delivrer;
        this.bouncer = bouncer;
        this.mailetContext = mailetContext;
        this.policyGate = policyGate;
        this.attempts = attempts;
        this.metrics = metrics;
        this.clock = clock;
    }

    synchronized void start(int threads) {
        workers = Schedulers.newBoundedElastic(threads, Integer.MAX_VALUE, "MtaStsDelivery");
        dequeuer = Schedulers.newSingle("MtaStsDelivery-Dequeue");
        // process() lets nothing escape (H1): Reactor rethrows JVM-fatal errors (StackOverflowError ...) past
        // onErrorContinue, which would leave a flatMap slot - with one thread, all delivery - stuck for good.
        subscription = Flux.defer(() -> Flux.from(queue.deQueue()))
            .flatMap(item -> Mono.fromRunnable(() -> process(item)).subscribeOn(workers), threads)
            .onErrorContinue((error, item) -> LOGGER.error("Unexpected error in the MTA-STS delivery loop", error))
            // Should the queue's own flux end with an error, subscribe again rather than stop delivering.
            .retryWhen(Retry.backoff(Long.MAX_VALUE, RESUBSCRIBE_MIN).maxBackoff(RESUBSCRIBE_MAX)
                .doBeforeRetry(signal -> LOGGER.error("The outgoing queue ended with an error; dequeuing again",
                    signal.failure())))
            .subscribeOn(dequeuer)
            .subscribe();
    }

    /** The per-mail boundary: whatever happens, the mail is completed in the queue and the loop goes on. */
    private void process(MailQueue.MailQueueItem item) {
        Mail mail = null;
        try {
            mail = item.getMail();
            attempt(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Throwable t) {
            failedUnexpectedly(item, mail, t);
        } finally {
            disposeQuietly(mail);
        }
    }

    /**
     * Logs, counts and re-queues with the delay of the next retry, without counting a retry: an unexpected
     * exception or Error is our fault or a hostile input's, never a reason to bounce. Not
     * {@code done(RETRY)}: James 3.8.1's memory queue re-enqueues then without delay, so an Error that the same
     * mail triggers every time would spin a delivery thread.
     */
    private void failedUnexpectedly(MailQueue.MailQueueItem item, Mail mail, Throwable t) {
        try {
            metrics.unexpectedError();
            if (mail == null) {
                LOGGER.error("Could not read a mail from the outgoing queue; handing it back", t);
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
                return;
            }
            Duration delay = delayBefore(DeliveryRetriesHelper.retrieveRetries(mail) + 1);
            LOGGER.error("Delivery attempt of {} (recipient domains {}) failed unexpectedly; retrying it in {}",
                mail.getName(), recipientDomains(mail), delay, t);
            queue.enQueue(mail, delay);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Throwable queueError) {
            LOGGER.error("Could not hand {} back to the queue with a delay; retrying it now",
                mail == null ? "a mail" : mail.getName(), queueError);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (Throwable lastError) {
                LOGGER.error("Could not hand {} back to the queue", mail == null ? "a mail" : mail.getName(), lastError);
            }
        }
    }

    private static String recipientDomains(Mail mail) {
        return mail.getRecipients().stream().map(r -> r.getDomain().asString()).distinct().sorted()
            .collect(Collectors.joining(", "));
    }

    private static void disposeQuietly(Mail mail) {
        if (mail == null) {
            return;
        }
        try {
            LifecycleUtil.dispose(mail);
        } catch (Throwable t) {
            LOGGER.error("Could not dispose of {}", mail.getName(), t);
        }
    }

    /** One delivery attempt of a dequeued mail, with its retry / bounce consequences. */
    void attempt(Mail mail) throws MailQueue.MailQueueException, MessagingException {
        ExecutionResult result = deliverOnce(mail);
        if (result.isPermanent()) {
            PolicyGate.Recheck recheck = policyGate.recheckBeforePermanentFailure(mail, PolicyGate.Trigger.PERMANENT_ERROR);
            if (recheck.pending().isPresent() && deferForDiscovery(mail, recheck.pending().get())) {
                return;
            }
            if (recheck.changed()) {
                result = deliverOnce(mail);
            }
        }
        switch (result.getExecutionState()) {
            case SUCCESS:
                succeeded(mail);
                break;
            case TEMPORARY_FAILURE:
                temporaryFailure(mail, result);
                break;
            default:
                bounce(mail, result.getException().orElse(null), true);
        }
    }

    /** Decides once for the whole attempt, then lets James walk the MX hosts with those decisions. */
    private ExecutionResult deliverOnce(Mail mail) {
        MailDecisions decisions;
        try {
            decisions = policyGate.decide(mail);
        } catch (MessagingException unavailable) {
            if (!(unavailable instanceof PolicyPending)) {
                metrics.policyTemporaryFailure();
                LOGGER.info("Deferring {}: {}", mail.getName(), unavailable.getMessage());
            }
            return ExecutionResult.temporaryFailure(unavailable);
        }
        policyGate.attemptStarts(mail);
        ExecutionResult result;
        Optional<PolicyDecision> everyMxRefused;
        try {
            result = attempts.during(mail, decisions, () -> delivrer.deliver(mail));
        } finally {
            everyMxRefused = policyGate.attemptEnds(mail);
        }
        if (result.getExecutionState() == ExecutionResult.ExecutionState.TEMPORARY_FAILURE
            && everyMxRefused.isPresent() && policyGate.healed(mail, everyMxRefused.get())) {
            // Every MX was refused under a stale policy that has just been replaced: decide again with the new one
            // and use it at once.
            MailDecisions healed;
            try {
                healed = policyGate.decide(mail);
            } catch (MessagingException unavailable) {
                return ExecutionResult.temporaryFailure(unavailable);
            }
            return attempts.during(mail, healed, () -> delivrer.deliver(mail));
        }
        return result;
    }

    private void succeeded(Mail mail) throws MessagingException {
        metrics.delivered();
        if (configuration.getOnSuccess().isPresent()) {
            mailetContext.sendMail(mail, configuration.getOnSuccess().get().getValue());
        }
    }

    private void temporaryFailure(Mail mail, ExecutionResult result) throws MailQueue.MailQueueException, MessagingException {
        Optional<PolicyPending> pending = result.getException().filter(PolicyPending.class::isInstance)
            .map(PolicyPending.class::cast);
        if (pending.isPresent() && deferForDiscovery(mail, pending.get())) {
            return;
        }
        if (!Mail.ERROR.equals(mail.getState())) {
            mail.setState(Mail.ERROR);
            DeliveryRetriesHelper.initRetries(mail);
            mail.setLastUpdated(Date.from(clock.instant()));
        }
        mail.setAttribute(new Attribute(Bouncer.IS_DELIVERY_PERMANENT_ERROR, AttributeValue.of(false)));
        int retries = DeliveryRetriesHelper.retrieveRetries(mail);
        if (retries < configuration.getMaxRetries()) {
            DeliveryRetriesHelper.incrementRetries(mail);
            mail.setLastUpdated(Date.from(clock.instant()));
            if (configuration.isUsePriority()) {
                mail.setAttribute(MailPrioritySupport.LOW_PRIORITY_ATTRIBUTE);
            }
            Duration delay = delayBefore(retries + 1);
            metrics.retried();
            LOGGER.debug("Retrying {} in {} (attempt {} of {})", mail.getName(), delay, retries + 1,
                configuration.getMaxRetries());
            queue.enQueue(mail, delay);
            return;
        }
        // RFC 8461 5.1: the last chance before the permanent failure is taken with the newest policy.
        PolicyGate.Recheck recheck = policyGate.recheckBeforePermanentFailure(mail, PolicyGate.Trigger.RETRIES_EXHAUSTED);
        if (recheck.pending().isPresent() && deferForDiscovery(mail, recheck.pending().get())) {
            return;
        }
        if (recheck.changed()) {
            ExecutionResult lastTry = deliverOnce(mail);
            if (lastTry.getExecutionState() == ExecutionResult.ExecutionState.SUCCESS) {
                succeeded(mail);
                return;
            }
            result = lastTry;
        }
        Exception cause = result.getException().orElse(null);
        bounce(mail, new MessagingException("Delivery of " + mail.getName() + " still failing after " + retries
            + " retries" + (cause == null ? "" : ": " + cause.getMessage()), cause), false);
    }

    /**
     * H6: puts the mail back for the pending discovery's short delay, without counting a delivery retry.
     *
     * @return false when the mail already used its {@link #MAX_POLICY_DEFERRALS} deferrals: the caller goes on as
     *     for any temporary failure
     */
    private boolean deferForDiscovery(Mail mail, PolicyPending pending) throws MailQueue.MailQueueException {
        int deferrals = mail.getAttribute(POLICY_DEFERRALS).flatMap(a -> a.getValue().valueAs(Integer.class)).orElse(0);
        if (deferrals >= MAX_POLICY_DEFERRALS) {
            LOGGER.warn("{}, still after {} deferrals of {}; counting it as a failed delivery attempt",
                pending.getMessage(), deferrals, mail.getName());
            return false;
        }
        mail.setAttribute(new Attribute(POLICY_DEFERRALS, AttributeValue.of(deferrals + 1)));
        metrics.policyPending();
        LOGGER.info("Deferring {} for {}: {}", mail.getName(), pending.retryAfter(), pending.getMessage());
        queue.enQueue(mail, pending.retryAfter());
        return true;
    }

    private void bounce(Mail mail, Exception cause, boolean permanent) {
        if (permanent) {
            mail.setAttribute(new Attribute(Bouncer.IS_DELIVERY_PERMANENT_ERROR, AttributeValue.of(true)));
        }
        metrics.bounced();
        bouncer.bounce(mail, cause);
    }

    private Duration delayBefore(int attempt) {
        List<Duration> delays = configuration.getDelayTimes();
        return attempt >= 1 && attempt <= delays.size() ? delays.get(attempt - 1) : Delay.DEFAULT_DELAY_TIME;
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.dispose();
            workers.dispose();
            dequeuer.dispose();
        }
    }
}
