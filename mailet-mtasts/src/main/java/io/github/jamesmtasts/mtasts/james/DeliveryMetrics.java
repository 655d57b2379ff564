package io.github.jamesmtasts.mtasts.james;

import java.util.Optional;

import org.apache.james.metrics.api.MetricFactory;

import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** Metric names of MTA-STS delivery, published through James's {@link MetricFactory}. */
public final class DeliveryMetrics {

    public static final String SESSIONS_PREFIX = "mtasts_sessions_";
    public static final String REFUSED_PREFIX = "mtasts_delivery_refused_";
    public static final String POLICY_TEMPORARY_FAILURE = "mtasts_delivery_policy_temporary_failure";
    /** H6: a mail put back (not counted as a retry) because its policy discovery was still running. */
    public static final String POLICY_PENDING = "mtasts_delivery_policy_pending";
    public static final String RECHECK_CHANGED = "mtasts_delivery_recheck_policy_changed";
    /** Every MX was refused under a stale policy whose refetch found it changed: the mail was tried again at once. */
    public static final String HEALED_RETRY = "mtasts_delivery_healed_policy_retry";
    public static final String DELIVERED = "mtasts_delivery_success";
    public static final String BOUNCED = "mtasts_delivery_bounced";
    public static final String RETRIED = "mtasts_delivery_retried";
    /** A delivery attempt that ended with an unexpected exception or Error; the mail went back to the queue. */
    public static final String UNEXPECTED_ERROR = "mtasts_delivery_unexpected_error";
    /** RFC 7435: a failed STARTTLS handshake followed by a plaintext retry on the same MX ({@code TlsPlan}). */
    public static final String PLAINTEXT_RETRY = "mtasts_delivery_plaintext_retry";
    /**
     * Issue 10 item 5: a session whose TLS-RPT record was not committed when delivery went on (store failing or slower
     * than {@code recorder.commitWait}); it stays counted in memory, but a crash before the next flush loses it.
     */
    public static final String SESSION_NOT_COMMITTED = "mtasts_sessions_record_not_committed";

    /** RFC 7672: sessions established under DANE, {@code ..._authenticated} or {@code ..._encrypt_only}. */
    public static final String DANE_SESSIONS_PREFIX = "mtasts_dane_sessions_";
    /** RFC 7672: MX hosts refused under DANE, by result type ({@code ..._tlsa_invalid}, ...) or {@code ..._not_in_secure_mx_set}. */
    public static final String DANE_REFUSED_PREFIX = "mtasts_dane_refused_";
    /** A recipient domain's DANE lookup that did not validate or failed ({@code DaneDomain} UNUSABLE). */
    public static final String DANE_LOOKUP_FAILED = "mtasts_dane_lookup_failed";

    private final MetricFactory metricFactory;

    public DeliveryMetrics(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
    }

    /** {@code mtasts_sessions_success} or {@code mtasts_sessions_<result_type>}. */
    public void session(Optional<ResultType> failure) {
        metricFactory.generate(SESSIONS_PREFIX + failure.map(DeliveryMetrics::name).orElse("success")).increment();
    }

    public void sessionNotCommitted() {
        metricFactory.generate(SESSION_NOT_COMMITTED).increment();
    }

    /** {@code mtasts_delivery_refused_<result_type>}, or {@code ..._policy_unavailable} when the policy is unknown. */
    public void refused(Optional<ResultType> reason) {
        metricFactory.generate(REFUSED_PREFIX + reason.map(DeliveryMetrics::name).orElse("policy_unavailable")).increment();
    }

    public void policyTemporaryFailure() {
        metricFactory.generate(POLICY_TEMPORARY_FAILURE).increment();
    }

    public void policyPending() {
        metricFactory.generate(POLICY_PENDING).increment();
    }

    public void recheckChanged() {
        metricFactory.generate(RECHECK_CHANGED).increment();
    }

    public void healedRetry() {
        metricFactory.generate(HEALED_RETRY).increment();
    }

    public void delivered() {
        metricFactory.generate(DELIVERED).increment();
    }

    public void bounced() {
        metricFactory.generate(BOUNCED).increment();
    }

    public void retried() {
        metricFactory.generate(RETRIED).increment();
    }

    public void plaintextRetry() {
        metricFactory.generate(PLAINTEXT_RETRY).increment();
    }

    public void unexpectedError() {
        metricFactory.generate(UNEXPECTED_ERROR).increment();
    }

    /** @param authenticated DANE-authenticated (TLSA match) rather than encrypt-only */
    public void daneSession(boolean authenticated) {
        metricFactory.generate(DANE_SESSIONS_PREFIX + (authenticated ? "authenticated" : "encrypt_only")).increment();
    }

    /** @param reason the host's TLS-RPT failure; empty for a host outside the validated MX RRset */
    public void daneRefused(Optional<ResultType> reason) {
        metricFactory.generate(DANE_REFUSED_PREFIX + reason.map(DeliveryMetrics::name).orElse("not_in_secure_mx_set"))
            .increment();
    }

    public void daneLookupFailed() {
        metricFactory.generate(DANE_LOOKUP_FAILED).increment();
    }

    static String name(ResultType type) {
        return type.token().replace('-', '_');
    }
}
