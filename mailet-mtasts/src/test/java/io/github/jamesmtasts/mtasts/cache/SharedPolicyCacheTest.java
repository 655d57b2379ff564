package io.github.jamesmtasts.mtasts.cache;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.CollectingRecorder;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.FakeRecordLookup;
import io.github.jamesmtasts.mtasts.resolve.PolicyDecision;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;

/** Rule R with real engines: the cache survives restarts, and cluster nodes sharing PostgreSQL share it. */
class SharedPolicyCacheTest {

    static final DomainName D = name("example.test");

    @TempDir
    Path folder;
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRecordLookup dns = new FakeRecordLookup().withId(D.asString(), "id1");
    final FakeFetcher httpsA = new FakeFetcher().serving(D.asString(), FakeFetcher.policyText("enforce", 86_400, "mx.example.test"));
    final FakeFetcher httpsB = new FakeFetcher().serving(D.asString(), FakeFetcher.policyText("enforce", 86_400, "mx.example.test"));
    Database nodeA;
    Database nodeB;

    @AfterEach
    void close() {
        for (Database database : nodeA == nodeB ? new Database[] {nodeA} : new Database[] {nodeA, nodeB}) {
            if (database != null) {
                database.close();
            }
        }
    }

    DefaultPolicyResolver node(Database database, FakeFetcher https) {
        return node(database, https, clock);
    }

    DefaultPolicyResolver node(Database database, FakeFetcher https, Clock nodeClock) {
        return DefaultPolicyResolver.start(dns, https, JdbcPolicyStore.create(database), new CollectingRecorder(),
            ResolverListener.NOOP, ResolverSettings.defaults(), nodeClock);
    }

    /** Two nodes' databases on one store: two pools on one PostgreSQL database, or one embedded H2 database. */
    void openNodes(String engine) {
        if (StoreEngines.H2.equals(engine)) {
            nodeA = StoreEngines.open(StoreEngines.H2, folder);
            nodeB = nodeA;
            return;
        }
        String url = TestPostgres.shared().createDatabase();
        nodeA = StoreEngines.openPostgres(url);
        nodeB = StoreEngines.openPostgres(url);
    }

    static Stream<String> engines() {
        return Stream.of(StoreEngines.H2, StoreEngines.POSTGRESQL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void laterFetchShouldWinInTheDatabasesOrderWhenTheNodesClocksDisagree(String engine) {
        openNodes(engine);
        SettableClock fastClockA = new SettableClock(clock.instant().plus(Duration.ofHours(1)));
        DefaultPolicyResolver a = node(nodeA, httpsA, fastClockA);
        DefaultPolicyResolver b = node(nodeB, httpsB, clock);
        assertThat(a.resolve(D).mode()).isEqualTo(Mode.ENFORCE);
        dns.withId(D.asString(), "id2");
        httpsB.serving(D.asString(), FakeFetcher.policyText("testing", 86_400, "mx.example.test"));

        // B fetches after A (in real time) but its clock says an hour earlier than A's did.
        PolicyDecision fetchedByB = b.recheck(D);
        fastClockA.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        PolicyDecision seenByA = a.resolve(D);

        assertThat(fetchedByB.policyId()).contains("id2");
        assertThat(fetchedByB.mode()).isEqualTo(Mode.TESTING);
        assertThat(JdbcPolicyStore.create(nodeA).load(D).map(CachedPolicy::recordId)).contains("id2");
        assertThat(seenByA.policyId()).contains("id2");
        assertThat(seenByA.mode()).isEqualTo(Mode.TESTING);
        assertThat(httpsA.fetches(D.asString())).isEqualTo(1);
    }

    @Test
    void deleteOnOneNodeShouldMakeTheOtherNodeDiscoverThePolicyAgainAtItsNextCheck() {
        openNodes(StoreEngines.POSTGRESQL);
        DefaultPolicyResolver a = node(nodeA, httpsA);
        DefaultPolicyResolver b = node(nodeB, httpsB);
        a.resolve(D);
        assertThat(b.resolve(D).mode()).isEqualTo(Mode.ENFORCE);
        // The operator deletes the policy because its host now serves another one under the same TXT id.
        httpsB.serving(D.asString(), FakeFetcher.policyText("testing", 86_400, "mx.example.test"));

        assertThat(a.forget(D)).isTrue();
        assertThat(b.resolve(D).mode()).as("warm until its next check: no I/O").isEqualTo(Mode.ENFORCE);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        PolicyDecision next = b.resolve(D);

        assertThat(next.mode()).isEqualTo(Mode.TESTING);
        assertThat(httpsB.fetches(D.asString())).isEqualTo(1);
        assertThat(JdbcPolicyStore.create(nodeA).load(D).map(c -> c.policy().mode())).contains(Mode.TESTING);
    }

    @Test
    void deletedPolicyShouldNeitherBeUsedNorWrittenBackByAnotherNodeWhoseRefetchFails() {
        openNodes(StoreEngines.POSTGRESQL);
        DefaultPolicyResolver a = node(nodeA, httpsA);
        DefaultPolicyResolver b = node(nodeB, httpsB);
        a.resolve(D);
        b.resolve(D);
        httpsB.failing(D.asString(), ResultType.STS_POLICY_FETCH_ERROR, "HTTP 503");

        a.forget(D);
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);
        PolicyDecision next = b.resolve(D);

        assertThat(next.mode()).as("RFC 8461 3.3: no policy fetchable, none cached").isEqualTo(Mode.NONE);
        assertThat(b.cached(D)).isEmpty();
        JdbcPolicyStore store = JdbcPolicyStore.create(nodeA);
        assertThat(store.load(D)).isEmpty();
        assertThat(store.isDeleted(D)).isTrue();
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    void rule_R_policyFetchedByOneNodeShouldBeUsedByAnotherWithoutItsOwnLookupOrFetch() {
        String url = TestPostgres.shared().createDatabase();
        nodeA = StoreEngines.openPostgres(url);
        nodeB = StoreEngines.openPostgres(url);
        DefaultPolicyResolver a = node(nodeA, httpsA);
        DefaultPolicyResolver b = node(nodeB, httpsB);

        assertThat(a.resolve(D).mode()).isEqualTo(Mode.ENFORCE);
        assertThat(b.resolve(D).policyId()).contains("id1");

        assertThat(httpsA.fetches(D.asString())).isEqualTo(1);
        assertThat(httpsB.fetches(D.asString())).isZero();
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
    }

    @Test
    void rule_R_newPolicyFetchedByOneNodeShouldReplaceTheOtherNodesCopyAtItsNextCheck() {
        String url = TestPostgres.shared().createDatabase();
        nodeA = StoreEngines.openPostgres(url);
        nodeB = StoreEngines.openPostgres(url);
        DefaultPolicyResolver a = node(nodeA, httpsA);
        DefaultPolicyResolver b = node(nodeB, httpsB);
        a.resolve(D);
        b.resolve(D);
        dns.withId(D.asString(), "id2");
        httpsA.serving(D.asString(), FakeFetcher.policyText("testing", 86_400, "mx.example.test"));
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);

        assertThat(a.resolve(D).policyId()).contains("id2");
        assertThat(b.resolve(D).policyId()).contains("id2");

        assertThat(b.resolve(D).mode()).isEqualTo(Mode.TESTING);
        assertThat(httpsA.fetches(D.asString())).isEqualTo(2);
        assertThat(httpsB.fetches(D.asString())).isZero();
    }

    @Test
    void rule_R_restartedNodeShouldAnswerFromThePersistedEmbeddedCacheWithoutIo() {
        try (Database beforeRestart = StoreEngines.open(StoreEngines.H2, folder)) {
            node(beforeRestart, httpsA).resolve(D);
        }

        nodeA = StoreEngines.open(StoreEngines.H2, folder);
        DefaultPolicyResolver restarted = node(nodeA, httpsA);

        assertThat(restarted.cached(D)).isPresent();
        assertThat(restarted.resolve(D).policyId()).contains("id1");
        assertThat(dns.lookups(D.asString())).isEqualTo(1);
        assertThat(httpsA.fetches(D.asString())).isEqualTo(1);
    }
}
