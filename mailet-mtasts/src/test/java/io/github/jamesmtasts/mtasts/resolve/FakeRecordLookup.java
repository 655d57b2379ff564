package io.github.jamesmtasts.mtasts.resolve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.jamesmtasts.mtasts.discover.StsRecord;
import io.github.jamesmtasts.tlsrpt.dns.TxtRecordOutcome;
import io.github.jamesmtasts.tlsrpt.model.DomainName;

/** A {@link RecordLookup} answering what the test set, ABSENT otherwise; counts lookups per domain. */
public final class FakeRecordLookup implements RecordLookup {

    public static final Duration TTL = Duration.ofMinutes(1);

    private final Map<String, TxtRecordOutcome<StsRecord>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public FakeRecordLookup withId(String domain, String id) {
        return with(domain, TxtRecordOutcome.valid(StsRecord.of(id), TTL));
    }

    public FakeRecordLookup with(String domain, TxtRecordOutcome<StsRecord> outcome) {
        outcomes.put(domain, outcome);
        return this;
    }

    @Override
    public TxtRecordOutcome<StsRecord> lookup(DomainName name) {
        String domain = name.asString();
        lookups.computeIfAbsent(domain, d -> new AtomicInteger()).incrementAndGet();
        return outcomes.getOrDefault(domain, TxtRecordOutcome.absent());
    }

    public int lookups(String domain) {
        AtomicInteger count = lookups.get(domain);
        return count == null ? 0 : count.get();
    }
}
