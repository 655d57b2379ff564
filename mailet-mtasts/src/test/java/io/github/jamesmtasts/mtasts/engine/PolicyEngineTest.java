package io.github.jamesmtasts.mtasts.engine;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.CollectingRecorder;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.testing.InMemoryTxtResolver;

class PolicyEngineTest {

    @TempDir
    Path james;
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryTxtResolver dns = InMemoryTxtResolver.create()
        .withRecords("_mta-sts.example.test", "v=STSv1; id=20260101")
        .withTemporaryFailure("_mta-sts.broken.test", "SERVFAIL");
    final FakeFetcher https = new FakeFetcher()
        .serving("example.test", FakeFetcher.policyText("enforce", 86_400, "mx.example.test"));

    EngineSettings settings() {
        return EngineSettings.parse(Map.of(), james, "test");
    }

    Database database() {
        return Database.open(settings().database());
    }

    @Test
    void engineShouldResolveThroughTxtDiscoveryAndKeepItsCacheAcrossARestart() {
        try (Database database = database();
             PolicyEngine engine = PolicyEngine.start(settings(), database, https, clock, dns,
                 new CollectingRecorder(), ResolverListener.NOOP)) {
            assertThat(engine.resolver().resolve(name("example.test")).mode()).isEqualTo(Mode.ENFORCE);
            assertThat(engine.resolver().resolve(name("absent.test"))).isEqualTo(PolicyDecision.noPolicy(name("absent.test")));
            assertThat(engine.resolver().resolve(name("broken.test")).kind())
                .isEqualTo(PolicyDecision.Kind.TEMPORARY_FAILURE);
            assertThat(engine.refresher()).isPresent();
        }

        // Restarted as James does: the real HTTPS fetcher, which must not be needed (the cache survived).
        try (Database database = database();
             PolicyEngine restarted = PolicyEngine.start(settings(), database, clock, dns, new CollectingRecorder(),
                 ResolverListener.NOOP)) {
            assertThat(restarted.resolver().resolve(name("example.test")).policyId()).contains("20260101");
            assertThat(dns.lookupCount("_mta-sts.example.test")).isEqualTo(1);
        }
        assertThat(https.fetches("example.test")).isEqualTo(1);
    }

    @Test
    void engineShouldDiscoverPoliciesForDeliveriesOnItsPool() {
        try (Database database = database();
             PolicyEngine engine = PolicyEngine.start(settings(), database, https, clock, dns,
                 new CollectingRecorder(), ResolverListener.NOOP)) {
            assertThat(engine.resolver().resolveForDelivery(name("example.test")).decision())
                .hasValueSatisfying(decision -> assertThat(decision.mode()).isEqualTo(Mode.ENFORCE));
        }
    }

    @Test
    void discoveryPoolShouldRefuseWorkBeyondItsThreadsAndQueue() throws Exception {
        ThreadPoolExecutor pool = PolicyEngine.discoveryPool(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Runnable held = () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            pool.execute(held);
            pool.execute(held);

            assertThatThrownBy(() -> pool.execute(held)).isInstanceOf(RejectedExecutionException.class);
            assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void engineShouldRecordAFailedFetchWhenThePolicyHostDoesNotResolve() {
        CollectingRecorder recorder = new CollectingRecorder();
        dns.withRecords("_mta-sts.nohost.test", "v=STSv1; id=1");

        try (Database database = database();
             PolicyEngine engine = PolicyEngine.start(settings(), database, clock, dns, recorder,
                 ResolverListener.NOOP)) {
            assertThat(engine.resolver().resolve(name("nohost.test"))).isEqualTo(PolicyDecision.noPolicy(name("nohost.test")));
        }

        assertThat(recorder.results()).singleElement().satisfies(result ->
            assertThat(result.failure().get().resultType()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR));
    }

    @Test
    void disabledRefreshShouldStartNoRefresher() {
        EngineSettings settings = EngineSettings.parse(Map.of("refresh.enabled", "false"), james, "test");

        try (Database database = database();
             PolicyEngine engine = PolicyEngine.start(settings, database, clock, dns, new CollectingRecorder(),
                 ResolverListener.NOOP)) {
            assertThat(engine.refresher()).isEmpty();
        }
    }

    @Test
    void unreadableTrustStoreShouldFailNamingTheFile() {
        EngineSettings settings = EngineSettings.parse(Map.of("fetch.trustStore", "conf/missing.pem"), james, "test");

        try (Database database = database()) {
            assertThatThrownBy(() -> PolicyEngine.start(settings, database, clock, dns, new CollectingRecorder(),
                ResolverListener.NOOP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem");
        }
    }
}
