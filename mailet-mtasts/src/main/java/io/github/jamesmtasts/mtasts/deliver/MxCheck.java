package io.github.jamesmtasts.mtasts.deliver;

import java.util.Optional;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.tlsrpt.classify.Classification;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
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
        // The MX name as James has it (from DNS or a gateway setting) is parsed here, once: a name that is none (an
        // address literal, a single label, a malformed label) matches no pattern (RFC 8461 4.1).
        DomainName.Parsed host = DomainName.parse(mxHost);
        boolean matches = host.name().flatMap(h -> decision.policy().map(p -> p.matchesMx(h))).orElse(false);
        String mx = host.name().map(h -> "MX " + h).orElseGet(() -> "MX " + host.problem().get() + ", and it");
        Classification mismatch = Classification.of(ResultType.VALIDATION_FAILURE, MX_MISMATCH);
        if (mode == Mode.TESTING) {
            return matches ? HostVerdict.observeTls("testing: MX matches the policy")
                : HostVerdict.observeTls(mismatch, "testing: " + mx + " matches no mx pattern of " + decision.domain());
        }
        return matches ? HostVerdict.requireTls()
            : HostVerdict.refuse(Optional.of(mismatch), "enforce: " + mx + " matches no mx pattern of "
                + decision.domain() + " " + decision.policy().map(p -> p.mx().toString()).orElse("[]"));
    }
}
