package io.github.jamesmtasts.mtasts.resolve;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptRecorder;

/**
 * Reports a failed policy fetch: a log line naming domain and id, the listener's metric, and one RFC 8460 failure
 * ({@code sts-policy-fetch-error}, {@code sts-webpki-invalid} or {@code sts-policy-invalid}, RFC 8460 4.3.2) with the
 * fetcher's message as {@code failure-reason-code} ({@code additional-information} is for URIs, RFC 8460 4.4).
 */
final class FetchFailureReport {

    private static final Logger LOGGER = LoggerFactory.getLogger(FetchFailureReport.class);

    private final TlsRptRecorder recorder;
    private final ResolverListener listener;

    FetchFailureReport(TlsRptRecorder recorder, ResolverListener listener) {
        this.recorder = recorder;
        this.listener = listener;
    }

    /**
     * @param applied the still valid cached policy that stays in force, if any
     */
    void report(String domain, String recordId, FetchOutcome failure, Optional<CachedPolicy> applied) {
        String message = failure.failureMessage().orElse("policy fetch failed");
        LOGGER.warn("MTA-STS policy fetch failed for {} (TXT id {}): {}: {}; {}", domain, recordId,
            failure.failureType().get().token(), message, applied
                .map(c -> "the cached policy (id " + c.recordId() + ", mode " + c.policy().mode().token()
                    + ", expires " + c.expiresAt() + ") stays in force")
                .orElse("no valid cached policy: delivering as without MTA-STS (RFC 8461 3.3)"));
        listener.fetchFailure(domain, failure.failureType().get());
        FailureDetails details = FailureDetails.builder(failure.failureType().get())
            .failureReasonCode(message)
            .build();
        SessionResult result = SessionResult.failure(reportPolicy(domain, applied), details);
        try {
            // Issue 10 item 5: committed (group commit, bounded wait) before the discovery ends, as delivery sessions are.
            if (!recorder.recordDurably(result)) {
                LOGGER.debug("MTA-STS policy fetch failure of {} counted for TLS-RPT but not committed yet", domain);
            }
        } catch (RuntimeException e) {
            LOGGER.error("could not record the MTA-STS policy fetch failure of {} for TLS-RPT", domain, e);
        }
    }

    /**
     * SPEC: the failure is reported under the policy still applied when there is one (sessions are counted under it
     * too); otherwise as an {@code sts} policy of the domain without policy strings: the TXT record announced MTA-STS
     * but no policy could be read.
     */
    private static ReportPolicy reportPolicy(String domain, Optional<CachedPolicy> applied) {
        return applied.filter(c -> c.policy().mode() != Mode.NONE)
            .map(c -> c.policy().toReportPolicy(domain))
            .orElseGet(() -> ReportPolicy.of(PolicyType.STS, domain, List.of(), List.of()));
    }
}
