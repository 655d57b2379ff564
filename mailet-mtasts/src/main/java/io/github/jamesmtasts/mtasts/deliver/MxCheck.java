package io.github.jamesmtasts.mtasts.deliver;

import java.util.Optional;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/**
 * RFC 8461 5 / 8.4, per MX host: the hosts are walked in MX preference order by the caller and each one is
 * checked here on its own ("traverse, then check"), never filtered beforehand. Pure.
 */
public final class MxCheck {

    /** Our {@code failure-reason-code} for an MX host that no policy {@code mx} pattern matches. */
    public static final String MX_MISMATCH = "sts-mx-mismatch";

    private MxCheck() {
    }

    /** The mode actually applied: the override's for a published testing/enforce policy, else the policy's. */
    public static Mode appliedMode(PolicyDecision decision, Optional<DomainOverride> override) {
        if (decision.kind() != PolicyDecision.Kind.POLICY || override.isEmpty()) {
            return decision.mode();
        }
        switch (override.get()) {
            case DISABLE:
                return Mode.NONE;
            case TESTING:
                return Mode.TESTING;
            default:
                return Mode.ENFORCE;
        }
    }

    public static HostVerdict check(PolicyDecision decision, Optional<DomainOverride> override, String mxHost) {
        if (decision.kind() == PolicyDecision.Kind.TEMPORARY_FAILURE) {
            // Whether a policy exists is unknown: delivering could be a downgrade, so this host is "unreachable"
            // for now and the message is retried (never bounced for it).
            return HostVerdict.refuse(Optional.empty(), "MTA-STS policy of " + decision.domain()
                + " temporarily unavailable: " + decision.reason().orElse("unknown reason"));
        }
        Mode mode = appliedMode(decision, override);
        if (mode == Mode.NONE) {
            return HostVerdict.stock();
        }
        boolean matches = decision.policy().map(p -> p.matchesMx(mxHost)).orElse(false);
        Classification mismatch = Classification.of(ResultType.VALIDATION_FAILURE, MX_MISMATCH);
        if (mode == Mode.TESTING) {
            return matches ? HostVerdict.observeTls("testing: MX matches the policy")
                : HostVerdict.observeTls(mismatch, "testing: MX " + mxHost + " matches no mx pattern of " + decision.domain());
        }
        return matches ? HostVerdict.requireTls()
            : HostVerdict.refuse(Optional.of(mismatch), "enforce: MX " + mxHost + " matches no mx pattern of "
                + decision.domain() + " " + decision.policy().map(p -> p.mx().toString()).orElse("[]"));
    }
}
