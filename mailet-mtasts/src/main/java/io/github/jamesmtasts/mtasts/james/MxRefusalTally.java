package io.github.jamesmtasts.mtasts.james;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.mailet.Mail;

import io.github.jamesmtasts.mtasts.deliver.MxCheck;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * Whether every MX host tried in one delivery attempt of a mail was refused in a way a stale cached policy explains
 * (docs/enforcement.md, "Stale policies"): under a policy applied as {@code enforce}, the host matched no policy
 * {@code mx} pattern, or its certificate failed authentication ({@code certificate-host-mismatch},
 * {@code certificate-expired}, {@code certificate-not-trusted}). A host that could not be reached, timed out, offered
 * no STARTTLS, failed the TLS negotiation otherwise, or answered with an SMTP error makes the attempt not count:
 * refetching the policy cannot help there. James's {@code MailDelivrer} walks the hosts on the thread that delivers
 * the mail, between {@link #begin} and {@link #end}; an attempt holds one entry, so the tally holds at most one
 * entry per delivery thread.
 */
final class MxRefusalTally {

    private static final class Attempt {
        private int tried;
        private int refused;
        private Optional<PolicyDecision> decision = Optional.empty();
        private boolean sameDecision = true;
    }

    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    void begin(Mail mail) {
        attempts.put(mail.getName(), new Attempt());
    }

    /** James is about to try one more MX host for the mail. */
    void tried(Mail mail) {
        Attempt attempt = attempts.get(mail.getName());
        if (attempt != null) {
            attempt.tried++;
        }
    }

    /**
     * The host was refused under {@code decision}, applied as enforce, for {@code failure}; counts only when the
     * failure is an MX pattern mismatch or a certificate authentication failure.
     */
    void refused(Mail mail, PolicyDecision decision, Classification failure) {
        Attempt attempt = attempts.get(mail.getName());
        if (attempt == null || decision.kind() != PolicyDecision.Kind.POLICY || !staleCanExplain(failure)) {
            return;
        }
        attempt.refused++;
        if (attempt.decision.isPresent() && !attempt.decision.get().equals(decision)) {
            attempt.sameDecision = false;
        }
        attempt.decision = Optional.of(decision);
    }

    /**
     * Ends the attempt.
     *
     * @return the enforce decision under which every tried host (at least one) was refused, if so
     */
    Optional<PolicyDecision> end(Mail mail) {
        Attempt attempt = attempts.remove(mail.getName());
        if (attempt == null || attempt.tried == 0 || attempt.refused != attempt.tried || !attempt.sameDecision) {
            return Optional.empty();
        }
        return attempt.decision;
    }

    private static boolean staleCanExplain(Classification failure) {
        ResultType type = failure.resultType();
        return failure.failureReasonCode().equals(Optional.of(MxCheck.MX_MISMATCH))
            || type == ResultType.CERTIFICATE_HOST_MISMATCH || type == ResultType.CERTIFICATE_EXPIRED
            || type == ResultType.CERTIFICATE_NOT_TRUSTED;
    }
}
