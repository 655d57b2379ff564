package io.github.jamesmtasts.mtasts.deliver;

import java.net.InetAddress;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.classify.TlsFailureClassifier;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.IpAddresses;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * What one MX attempt records for TLS-RPT (RFC 8460 4.3, 4.4): a pure function of the host's plan (decision and
 * verdict), what the session revealed ({@link SessionProbe}) and how it ended ({@link SessionEnd}).
 */
public final class SessionResults {

    private static final TlsFailureClassifier CLASSIFIER = new TlsFailureClassifier();

    private SessionResults() {
    }

    /**
     * @param ip the MX address that was (or would have been) connected to; empty when James gave no IP address
     * @return empty when nothing is recorded: no decision applies, a refusal that is not a session result (policy
     *     temporarily unknown), a TCP connect failure (no SMTP session took place, RFC 8460 4.3 counts sessions)
     */
    public static Optional<SessionResult> of(HostPlan plan, Optional<InetAddress> ip, SessionProbe probe, SessionEnd end) {
        if (plan.reportPolicy().isEmpty()) {
            return Optional.empty();
        }
        // RFC 8460 4.4: sts, no-policy-found, or tlsa where DANE decided the host (RFC 7672).
        ReportPolicy policy = plan.reportPolicy().get();
        Optional<Classification> known = plan.verdict().failure();
        switch (end.kind()) {
            case REFUSED:
                return ip.flatMap(address -> known.map(failure -> failure(policy, failure, plan.mxHost(), address, probe)));
            case FAILED:
                // H3: a session that ended before TLS (refused greeting, EHLO or STARTTLS, dropped connection, no
                // STARTTLS under enforce) counts, as starttls-not-supported; a TCP connect failure is no session.
                if (ip.isEmpty() || !(probe.tlsStarted() || probe.connected())) {
                    return Optional.empty();
                }
                Classification failure = known.orElseGet(() -> CLASSIFIER.classify(end.failure().orElseThrow()));
                return Optional.of(failure(policy, failure, plan.mxHost(), ip.get(), probe));
            default:
                Optional<Classification> problem = known
                    .or(() -> probe.observedCertificateProblem().filter(observed -> end.certificateChecked())
                        .map(CLASSIFIER::classify))
                    .or(() -> !end.encrypted() && end.tlsExpected()
                        ? Optional.of(Classification.of(ResultType.STARTTLS_NOT_SUPPORTED)) : Optional.empty());
                return problem.isPresent()
                    ? ip.map(address -> failure(policy, problem.get(), plan.mxHost(), address, probe))
                    : Optional.of(SessionResult.success(policy));
        }
    }

    /** RFC 8460 4.4 failure details: the MX's name and address, ours and the MX's announced name when known. */
    private static SessionResult failure(ReportPolicy policy, Classification classification, String mxHost,
                                        InetAddress receivingIp, SessionProbe probe) {
        FailureDetails.Builder details = classification.toDetails()
            .receivingMxHostname(mxHost)
            .receivingIp(IpAddresses.format(receivingIp));
        probe.localAddress().ifPresent(ip -> details.sendingMtaIp(IpAddresses.format(ip)));
        probe.announcedName().ifPresent(details::receivingMxHelo);
        return SessionResult.failure(policy, details.build());
    }
}
