package io.github.jamesmtasts.mtasts.resolve;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class SingleFlightResolverTest {

    static final DomainName D = name("burst.test");
    static final int CALLERS = 100;

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRecordLookup dns = new FakeRecordLookup().withId(D.asString(), "id1");
    final FakeFetcher https = new FakeFetcher()
        .serving(D.asString(), FakeFetcher.policyText("enforce", 86_400, "mx.burst.test"))
        .closed();
    final DefaultPolicyResolver resolver = DefaultPolicyResolver.start(dns, https, new InMemoryPolicyStore(),
        new CollectingRecorder(), ResolverListener.NOOP, ResolverSettings.defaults(), clock);

    @Test
    void concurrentResolvesForOneDomainShouldShareOneLookupAndOneFetch() throws Exception {
        Set<PolicyDecision> decisions = callConcurrently(resolver::resolve);

        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        assertThat(decisions).hasSize(1);
        assertThat(decisions.iterator().next().policyId()).contains("id1");
    }

    @Test
    void concurrentRechecksForOneDomainShouldShareOneLookupAndOneFetch() throws Exception {
        Set<PolicyDecision> decisions = callConcurrently(resolver::recheck);

        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        assertThat(decisions).hasSize(1);
    }

    /**
     * Starts {@link #CALLERS} threads, waits until one is held inside the fetch and every other one is parked waiting
     * for it, then lets the fetch finish.
     */
    private Set<PolicyDecision> callConcurrently(Function<DomainName, PolicyDecision> call) throws Exception {
        Set<PolicyDecision> decisions = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread thread = new Thread(() -> decisions.add(call.apply(D)), "caller-" + i);
            thread.setUncaughtExceptionHandler((t, e) -> {
                synchronized (errors) {
                    errors.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        assertThat(https.awaitEntered(30)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
            || t.getState() == Thread.State.TIMED_WAITING) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        https.open();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(errors).isEmpty();
        assertThat(decisions).isNotEmpty();
        return decisions;
    }
}
