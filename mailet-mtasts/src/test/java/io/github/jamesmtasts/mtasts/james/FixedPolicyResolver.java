package io.github.jamesmtasts.mtasts.james;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.PolicyResolver;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Answers fixed decisions per domain ({@code noPolicy} for unknown ones); a decision set with
 * {@link #afterRecheck} replaces the current one when {@link #recheck} is called, like a new TXT id would.
 */
final class FixedPolicyResolver implements PolicyResolver {

    private final Map<DomainName, PolicyDecision> decisions = new HashMap<>();
    private final Map<DomainName, PolicyDecision> afterRecheck = new HashMap<>();
    private final AtomicInteger rechecks = new AtomicInteger();
    private final AtomicInteger resolutions = new AtomicInteger();

    synchronized FixedPolicyResolver with(PolicyDecision decision) {
        decisions.put(decision.domain(), decision);
        return this;
    }

    synchronized FixedPolicyResolver afterRecheck(PolicyDecision decision) {
        afterRecheck.put(decision.domain(), decision);
        return this;
    }

    @Override
    public synchronized PolicyDecision resolve(DomainName domain) {
        resolutions.incrementAndGet();
        return decisions.getOrDefault(domain, PolicyDecision.noPolicy(domain));
    }

    @Override
    public synchronized PolicyDecision recheck(DomainName domain) {
        rechecks.incrementAndGet();
        PolicyDecision next = afterRecheck.remove(domain);
        if (next != null) {
            decisions.put(domain, next);
        }
        return decisions.getOrDefault(domain, PolicyDecision.noPolicy(domain));
    }

    /** Calls of {@link #resolve} (also behind {@code resolveForDelivery}); rechecks are counted apart. */
    int resolutions() {
        return resolutions.get();
    }

    int rechecks() {
        return rechecks.get();
    }
}
