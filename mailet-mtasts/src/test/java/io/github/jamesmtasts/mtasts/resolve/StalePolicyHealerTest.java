package io.github.jamesmtasts.mtasts.resolve;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.mtasts.cache.CachedPolicy;
import io.github.jamesmtasts.mtasts.fetch.FetchOutcome;
import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/**
 * Issue 11: a policy file changed under an unchanged TXT id (the domain moved its MX) is refetched when every MX was
 * refused under the cached policy, at most once an hour, never during a fetch back-off, never failing open.
 */
class StalePolicyHealerTest {

    static final DomainName D = name("moved.test");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String OLD_MX = FakeFetcher.policyText("enforce", 604_800, "mx1.moved.test");
    static final String NEW_MX = FakeFetcher.policyText("enforce", 604_800, "mx2.moved.test");

    final SettableClock clock = new SettableClock(T0);
    final FakeRecordLookup dns = new FakeRecordLookup().withId(D.asString(), "id1");
    final FakeFetcher https = new FakeFetcher().serving(D.asString(), OLD_MX);
    final InMemoryPolicyStore store = new InMemoryPolicyStore();
    final CollectingRecorder recorder = new CollectingRecorder();
    final List<String> refetches = new ArrayList<>();
    final ResolverListener listener = new ResolverListener() {
        @Override
        public void staleRefetch(String domain, PolicyHealing.Outcome outcome) {
            refetches.add(domain + " " + outcome);
        }
    };

    DefaultPolicyResolver start(ResolverSettings settings) {
        return DefaultPolicyResolver.start(dns, https, store, recorder, listener, settings, clock);
    }

    DefaultPolicyResolver cachedOldMx() {
        DefaultPolicyResolver resolver = start(ResolverSettings.defaults());
        assertThat(resolver.resolve(D).policy().get().matchesMx(DomainName.of("mx1.moved.test").orElseThrow())).isTrue();
        // The domain moves its MX and edits its policy file, but forgets to change the TXT id.
        https.serving(D.asString(), NEW_MX);
        return resolver;
    }

    static PolicyDecision decided(Discovery discovery) {
        assertThat(discovery.decision()).isPresent();
        return discovery.decision().get();
    }

    @Test
    void refusalsWithinTheHourOfTheFetchShouldNotRefetch() {
        DefaultPolicyResolver resolver = cachedOldMx();
        PolicyDecision refused = resolver.resolve(D);
        clock.advance(Duration.ofMinutes(59));

        assertThat(decided(resolver.healForDelivery(refused))).isSameAs(refused);
        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(refetches).isEmpty();
        assertThat(resolver.healing(D)).isEmpty();
    }

    @Test
    void refusalsAfterTheHourShouldRefetchAndPutTheChangedPolicyInForceAtOnce() {
        DefaultPolicyResolver resolver = cachedOldMx();
        clock.advance(Duration.ofHours(1));
        PolicyDecision refused = resolver.resolve(D);

        PolicyDecision healed = decided(resolver.healForDelivery(refused));

        assertThat(healed.policyId()).contains("id1");
        assertThat(healed.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(healed.policy().get().matchesMx(DomainName.of("mx2.moved.test").orElseThrow())).isTrue();
        assertThat(resolver.resolve(D)).isEqualTo(healed);
        assertThat(store.row(D).get().policy()).isEqualTo(healed.policy().get());
        assertThat(https.fetches(D.asString())).isEqualTo(2);
        assertThat(refetches).containsExactly(D + " CHANGED");
        assertThat(resolver.healing(D)).hasValueSatisfying(h -> {
            assertThat(h.lastOutcome()).isEqualTo(PolicyHealing.Outcome.CHANGED);
            assertThat(h.lastChangedAt()).contains(clock.instant());
            assertThat(h.changes()).isEqualTo(1);
        });
    }

    @Test
    void anUnchangedPolicyShouldStayInForceAndTheNextRefetchWaitAnotherHour() {
        DefaultPolicyResolver resolver = cachedOldMx();
        https.serving(D.asString(), OLD_MX);
        clock.advance(Duration.ofHours(1));
        PolicyDecision refused = resolver.resolve(D);

        assertThat(decided(resolver.healForDelivery(refused))).isEqualTo(refused);
        assertThat(refetches).containsExactly(D + " UNCHANGED");
        // An authenticated fetch: the policy's max_age now runs from this fetch.
        assertThat(store.row(D).get().fetchedAt()).isEqualTo(clock.instant());

        https.serving(D.asString(), NEW_MX);
        clock.advance(Duration.ofMinutes(59));
        assertThat(decided(resolver.healForDelivery(resolver.resolve(D)))).isEqualTo(refused);
        assertThat(https.fetches(D.asString())).isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        assertThat(decided(resolver.healForDelivery(resolver.resolve(D))).policy().get().matchesMx(DomainName.of("mx2.moved.test").orElseThrow()))
            .isTrue();
        assertThat(https.fetches(D.asString())).isEqualTo(3);
    }

    @Test
    void noRefetchDuringTheBackOffOfAFailedFetchOfTheSameId() {
        DefaultPolicyResolver resolver = cachedOldMx();
        clock.advance(Duration.ofMinutes(58));
        https.failing(D.asString(), ResultType.STS_POLICY_FETCH_ERROR, "HTTP 503");
        resolver.refetch(D);
        https.serving(D.asString(), NEW_MX);
        clock.advance(Duration.ofMinutes(3));
        PolicyDecision refused = resolver.resolve(D);

        // An hour since the fetch, but the failed fetch at 58 minutes backs off until 63 minutes (RFC 8461 3.3).
        assertThat(decided(resolver.healForDelivery(refused))).isSameAs(refused);
        assertThat(https.fetches(D.asString())).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        assertThat(decided(resolver.healForDelivery(refused)).policy().get().matchesMx(DomainName.of("mx2.moved.test").orElseThrow())).isTrue();
        assertThat(https.fetches(D.asString())).isEqualTo(3);
    }

    @Test
    void aFailedRefetchShouldKeepTheCachedPolicyRecordTheFailureAndWaitAnHour() {
        DefaultPolicyResolver resolver = cachedOldMx();
        https.failing(D.asString(), ResultType.STS_WEBPKI_INVALID, "certificate expired");
        clock.advance(Duration.ofHours(1));
        PolicyDecision refused = resolver.resolve(D);

        // Never fail open (RFC 8461 3.3): the cached enforce policy stays in force.
        assertThat(decided(resolver.healForDelivery(refused))).isSameAs(refused);
        assertThat(resolver.resolve(D)).isEqualTo(refused);
        assertThat(resolver.cached(D).get().consecutiveFailures()).isEqualTo(1);
        assertThat(recorder.results()).extracting(r -> r.failure().get().resultType())
            .containsExactly(ResultType.STS_WEBPKI_INVALID);
        assertThat(refetches).containsExactly(D + " FAILED");

        https.serving(D.asString(), NEW_MX);
        clock.advance(Duration.ofMinutes(30));
        assertThat(decided(resolver.healForDelivery(resolver.resolve(D)))).isEqualTo(refused);
        clock.advance(Duration.ofMinutes(30));
        assertThat(decided(resolver.healForDelivery(resolver.resolve(D))).policy().get().matchesMx(DomainName.of("mx2.moved.test").orElseThrow()))
            .isTrue();
        assertThat(https.fetches(D.asString())).isEqualTo(3);
    }

    @Test
    void aPolicyReplacedSinceTheRefusalsShouldBeReturnedWithoutRefetching() {
        DefaultPolicyResolver resolver = cachedOldMx();
        PolicyDecision refused = resolver.resolve(D);
        dns.withId(D.asString(), "id2");
        resolver.recheck(D);

        PolicyDecision now = decided(resolver.healForDelivery(refused));

        assertThat(now.policyId()).contains("id2");
        assertThat(https.fetches(D.asString())).isEqualTo(2);
        assertThat(refetches).isEmpty();
    }

    @Test
    void aDecisionWithoutPolicyShouldNeverRefetch() {
        DefaultPolicyResolver resolver = start(ResolverSettings.defaults());
        clock.advance(Duration.ofDays(1));

        PolicyDecision none = PolicyDecision.noPolicy(D);
        assertThat(decided(resolver.healForDelivery(none))).isSameAs(none);
        PolicyDecision unknown = PolicyDecision.temporaryFailure(D, "SERVFAIL");
        assertThat(decided(resolver.healForDelivery(unknown))).isSameAs(unknown);
        assertThat(https.fetches(D.asString())).isZero();
    }

    @Test
    void forgettingTheDomainShouldForgetItsRefetchHistory() {
        DefaultPolicyResolver resolver = cachedOldMx();
        clock.advance(Duration.ofHours(1));
        resolver.healForDelivery(resolver.resolve(D));
        assertThat(resolver.healing(D)).isPresent();

        resolver.forget(D);

        assertThat(resolver.healing(D)).isEmpty();
    }

    @Test
    void concurrentRefusalsShouldShareOneRefetch() throws Exception {
        FetchOutcome old = FakeFetcher.success(OLD_MX);
        store.save(CachedPolicy.fetched(D, "id1", old.policy().get(), OLD_MX, T0));
        https.serving(D.asString(), NEW_MX).closed();
        DefaultPolicyResolver resolver = start(ResolverSettings.defaults().withPolicyWait(Duration.ofSeconds(60)));
        clock.advance(Duration.ofHours(1));
        PolicyDecision refused = resolver.resolve(D);

        Set<PolicyDecision> decisions = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Thread thread = new Thread(() -> decisions.add(decided(resolver.healForDelivery(refused))), "mail-" + i);
            threads.add(thread);
            thread.start();
        }
        assertThat(https.awaitEntered(30)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
            || t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.TERMINATED)
            && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        https.open();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(https.fetches(D.asString())).isEqualTo(1);
        assertThat(decisions).hasSize(1);
        assertThat(decisions.iterator().next().policy().get().matchesMx(DomainName.of("mx2.moved.test").orElseThrow())).isTrue();
        assertThat(refetches).containsExactly(D + " CHANGED");
    }
}
