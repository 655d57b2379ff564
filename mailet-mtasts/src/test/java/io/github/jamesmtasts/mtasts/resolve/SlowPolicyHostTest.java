package io.github.jamesmtasts.mtasts.resolve;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/**
 * Design rule H6: policy discovery runs on a bounded pool and a delivery waits for it only {@code policyWait}. The
 * fetches are held by a latch ({@link FakeFetcher#closed()}), never by time, so "pending" is certain whatever the
 * machine's speed; the waits are injected as {@link Duration}s.
 */
class SlowPolicyHostTest {

    static final DomainName SLOW = name("slow.test");
    static final DomainName OTHER = name("other.test");
    static final DomainName THIRD = name("third.test");
    static final Duration SHORT_WAIT = Duration.ofMillis(50);
    static final Duration LONG_WAIT = Duration.ofSeconds(30);
    static final Duration DEFERRAL = Duration.ofSeconds(7);

    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRecordLookup dns = new FakeRecordLookup().withId(SLOW.asString(), "s1").withId(OTHER.asString(), "o1").withId(THIRD.asString(), "t1");
    final FakeFetcher https = new FakeFetcher()
        .serving(SLOW.asString(), FakeFetcher.policyText("enforce", 86_400, "mx.slow.test"))
        .serving(OTHER.asString(), FakeFetcher.policyText("enforce", 86_400, "mx.other.test"))
        .serving(THIRD.asString(), FakeFetcher.policyText("testing", 86_400, "mx.third.test"));
    ThreadPoolExecutor pool = pool(4, 10);

    static ThreadPoolExecutor pool(int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(queue));
    }

    DefaultPolicyResolver resolver(Duration wait, Executor discoveries) {
        return DefaultPolicyResolver.start(dns, https, new InMemoryPolicyStore(), new CollectingRecorder(),
            ResolverListener.NOOP, ResolverSettings.defaults().withPolicyWait(wait).withPolicyDeferral(DEFERRAL), clock,
            discoveries);
    }

    @AfterEach
    void release() {
        https.open();
        pool.shutdownNow();
    }

    @Test
    void deliveryShouldStopWaitingAfterThePolicyWaitWhileTheFetchGoesOn() throws Exception {
        https.closed();
        DefaultPolicyResolver resolver = resolver(SHORT_WAIT, pool);

        Discovery first = resolver.resolveForDelivery(SLOW);

        // H6: not "no policy" - unknown, with a short deferral; the fetch is still held at the gate.
        assertThat(first.decision()).isEmpty();
        assertThat(first.retryAfter()).isEqualTo(DEFERRAL);
        assertThat(first.reason()).contains("still running");
        assertThat(https.awaitEntered(30)).isTrue();
        assertThat(resolver.cached(SLOW)).isEmpty();

        https.open();
        // A later attempt joins the same flight (one fetch) and gets the fetched policy.
        Discovery later = resolverJoin(resolver);
        assertThat(later.decision()).hasValueSatisfying(decision -> {
            assertThat(decision.kind()).isEqualTo(PolicyDecision.Kind.POLICY);
            assertThat(decision.mode()).isEqualTo(Mode.ENFORCE);
            assertThat(decision.policyId()).contains("s1");
        });
        assertThat(https.fetches(SLOW.asString())).isEqualTo(1);
    }

    /** Waits (with the same resolver) until the running discovery of {@link #SLOW} has finished. */
    private Discovery resolverJoin(DefaultPolicyResolver resolver) {
        // The sync resolve joins the running flight; afterwards the decision is warm.
        resolver.resolve(SLOW);
        return resolver.resolveForDelivery(SLOW);
    }

    @Test
    void mailToOtherDomainsShouldNotWaitForASlowPolicyHost() throws Exception {
        DefaultPolicyResolver resolver = resolver(LONG_WAIT, pool);
        assertThat(resolver.resolveForDelivery(OTHER).decision()).isPresent();
        https.closed();

        // SLOW's discovery is held (and its delivery waits for it); OTHER is warm and answers at once.
        Thread slow = new Thread(() -> resolver.resolveForDelivery(SLOW));
        slow.start();
        assertThat(https.awaitEntered(30)).isTrue();
        assertThat(resolver.resolveForDelivery(OTHER).decision()).hasValueSatisfying(
            decision -> assertThat(decision.policyId()).contains("o1"));
        https.open();
        slow.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Test
    void warmPolicyShouldBeAppliedWithoutTheDiscoveryPool() {
        DefaultPolicyResolver warmUp = resolver(LONG_WAIT, pool);
        assertThat(warmUp.resolveForDelivery(OTHER).decision()).isPresent();
        Executor refusing = task -> {
            throw new AssertionError("a warm cache must not start a discovery");
        };
        // A fresh resolver loads OTHER's policy from the store at start: warm, no I/O, no discovery pool.
        InMemoryPolicyStore store = new InMemoryPolicyStore();
        warmUp.cached(OTHER).ifPresent(store::save);
        DefaultPolicyResolver fromStore = DefaultPolicyResolver.start(dns, https, store, new CollectingRecorder(),
            ResolverListener.NOOP, ResolverSettings.defaults(), clock, refusing);

        assertThat(fromStore.resolveForDelivery(OTHER).decision()).hasValueSatisfying(
            decision -> assertThat(decision.policyId()).contains("o1"));
        assertThat(https.fetches(OTHER.asString())).isEqualTo(1);
        assertThat(dns.lookups(OTHER.asString())).isEqualTo(1);
    }

    @Test
    void firstDeliveryToADomainWhosePolicyHostAnswersPromptlyShouldGetItsPolicy() {
        DefaultPolicyResolver resolver = resolver(LONG_WAIT, pool);

        Discovery discovery = resolver.resolveForDelivery(SLOW);

        assertThat(discovery.decision()).hasValueSatisfying(decision -> {
            assertThat(decision.kind()).isEqualTo(PolicyDecision.Kind.POLICY);
            assertThat(decision.policyId()).contains("s1");
        });
    }

    @Test
    void fullDiscoveryPoolShouldDeferTheDeliveryWithoutStartingADiscovery() throws Exception {
        pool = pool(1, 1);
        https.closed();
        DefaultPolicyResolver resolver = resolver(SHORT_WAIT, pool);

        assertThat(resolver.resolveForDelivery(SLOW).decision()).isEmpty(); // holds the only thread
        assertThat(https.awaitEntered(30)).isTrue();
        assertThat(resolver.resolveForDelivery(OTHER).decision()).isEmpty(); // fills the queue
        Discovery refused = resolver.resolveForDelivery(THIRD);

        assertThat(refused.decision()).isEmpty();
        assertThat(refused.reason()).contains("pool full");
        assertThat(refused.retryAfter()).isEqualTo(DEFERRAL);

        https.open();
        resolver.resolve(SLOW);
        resolver.resolve(OTHER);
        // Refused work is not remembered as running: once the pool has room, THIRD is discovered (once).
        resolver.resolveForDelivery(THIRD);
        assertThat(resolver.resolve(THIRD).mode()).isEqualTo(Mode.TESTING);
        assertThat(https.fetches(THIRD.asString())).isEqualTo(1);
    }

    @Test
    void laterDeliveriesShouldNotWaitAgainOnceTheWaitSinceTheDiscoveryStartedIsOver() throws Exception {
        https.closed();
        DefaultPolicyResolver resolver = resolver(LONG_WAIT, pool);
        Thread first = new Thread(() -> resolver.resolveForDelivery(SLOW));
        first.start();
        assertThat(https.awaitEntered(30)).isTrue();

        clock.advance(LONG_WAIT);
        // The discovery started LONG_WAIT ago: however many mails wait for it, none waits again.
        Discovery later = resolver.resolveForDelivery(SLOW);

        assertThat(later.decision()).isEmpty();
        assertThat(https.fetches(SLOW.asString())).isEqualTo(1);
        https.open();
        first.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Test
    void recheckForDeliveryShouldAlsoStopWaitingAfterThePolicyWait() throws Exception {
        DefaultPolicyResolver resolver = resolver(SHORT_WAIT, pool);
        assertThat(resolver.resolve(SLOW).policyId()).contains("s1");
        dns.withId(SLOW.asString(), "s2");
        https.closed();

        Discovery recheck = resolver.recheckForDelivery(SLOW);

        assertThat(recheck.decision()).isEmpty();
        https.open();
        assertThat(resolver.recheck(SLOW).policyId()).contains("s2");
    }

    @Test
    void discoveryFailureShouldReachTheWaitingDelivery() {
        Executor direct = Runnable::run;
        DefaultPolicyResolver resolver = DefaultPolicyResolver.start(domain -> {
            throw new IllegalStateException("resolver bug for " + domain);
        }, https, new InMemoryPolicyStore(), new CollectingRecorder(), ResolverListener.NOOP,
            ResolverSettings.defaults(), clock, direct);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolver.resolveForDelivery(SLOW))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolver bug");
    }

    @Test
    void deliveryJoiningADiscoveryRunOnItsCallersThreadShouldWaitForItFromNow() throws Exception {
        https.closed();
        DefaultPolicyResolver resolver = resolver(LONG_WAIT, pool);
        // A flight run by resolve() (as the refresher or an operator would) has no recorded start.
        Thread synchronous = new Thread(() -> resolver.resolve(SLOW));
        synchronous.start();
        assertThat(https.awaitEntered(30)).isTrue();
        Thread caller = Thread.currentThread();
        Thread opener = new Thread(() -> {
            while (caller.getState() != Thread.State.TIMED_WAITING && caller.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            https.open();
        });
        opener.start();

        Discovery joined = resolver.resolveForDelivery(SLOW);

        assertThat(joined.decision()).hasValueSatisfying(decision -> assertThat(decision.policyId()).contains("s1"));
        assertThat(https.fetches(SLOW.asString())).isEqualTo(1);
        synchronous.join(TimeUnit.SECONDS.toMillis(30));
        opener.join(TimeUnit.SECONDS.toMillis(30));
    }
}
