package io.github.jamesmtasts.mtasts.james;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jamesmtasts.mtasts.dane.DaneDomain;
import io.github.jamesmtasts.mtasts.dane.DaneLookup;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** Fixed DANE answers per recipient domain (NOT_APPLICABLE for unknown ones); counts the lookups. */
final class FixedDaneLookup implements DaneLookup {

    private final Map<DomainName, DaneDomain> answers = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private RuntimeException failure;

    synchronized FixedDaneLookup with(DaneDomain answer) {
        answers.put(answer.domain(), answer);
        return this;
    }

    /** Every lookup throws {@code failure} (a broken implementation: the contract says it never throws). */
    synchronized FixedDaneLookup throwing(RuntimeException failure) {
        this.failure = failure;
        return this;
    }

    @Override
    public synchronized DaneDomain lookup(DomainName recipientDomain) {
        lookups.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return answers.getOrDefault(recipientDomain, DaneDomain.notApplicable(recipientDomain, "MX RRset insecure"));
    }

    int lookups() {
        return lookups.get();
    }
}
