package io.github.jamesmtasts.mtasts.resolve;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * What a delivery thread learns about a domain's policy within its short wait (design rule H6): either the
 * {@link PolicyDecision}, or that discovery (TXT lookup and HTTPS fetch) is still running or could not even be
 * queued. A running discovery is not "no policy": the mail waits {@link #retryAfter()} and asks again, never
 * delivers without knowing (RFC 8461 5: never fail open).
 */
public final class Discovery {

    private final Optional<PolicyDecision> decision;
    private final DomainName domain;
    private final String reason;
    private final Duration retryAfter;

    private Discovery(Optional<PolicyDecision> decision, DomainName domain, String reason, Duration retryAfter) {
        this.decision = decision;
        this.domain = Objects.requireNonNull(domain);
        this.reason = Objects.requireNonNull(reason);
        this.retryAfter = Objects.requireNonNull(retryAfter);
    }

    public static Discovery done(PolicyDecision decision) {
        return new Discovery(Optional.of(decision), decision.domain(), "", Duration.ZERO);
    }

    /**
     * @param reason what the delivery is waiting for, e.g. "policy discovery still running"
     * @param retryAfter when to ask again
     */
    public static Discovery pending(DomainName domain, String reason, Duration retryAfter) {
        return new Discovery(Optional.empty(), domain, reason, retryAfter);
    }

    /** Present once discovery finished; empty while it runs (or waits for a free discovery thread). */
    public Optional<PolicyDecision> decision() {
        return decision;
    }

    public DomainName domain() {
        return domain;
    }

    /** Why the decision is not known yet; empty text when it is. */
    public String reason() {
        return reason;
    }

    /** When a pending delivery should ask again; zero when the decision is known. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Discovery)) {
            return false;
        }
        Discovery that = (Discovery) o;
        return decision.equals(that.decision) && domain.equals(that.domain) && reason.equals(that.reason)
            && retryAfter.equals(that.retryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(decision, domain, reason, retryAfter);
    }

    @Override
    public String toString() {
        return decision.map(d -> "Discovery{" + d + "}")
            .orElse("Discovery{pending " + domain + ": " + reason + ", retry after " + retryAfter + "}");
    }
}
