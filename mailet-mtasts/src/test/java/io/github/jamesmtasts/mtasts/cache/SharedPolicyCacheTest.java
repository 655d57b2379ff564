package io.github.jamesmtasts.mtasts.cache;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.mtasts.policy.Mode;
import io.github.jamesmtasts.mtasts.resolve.CollectingRecorder;
import io.github.jamesmtasts.mtasts.resolve.DefaultPolicyResolver;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.mtasts.resolve.FakeRecordLookup;
import io.github.jamesmtasts.mtasts.resolve.ResolverListener;
import io.github.jamesmtasts.mtasts.resolve.ResolverSettings;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;

/** Rule R with real engines: the cache survives restarts, and cluster nodes sharing PostgreSQL share it. */
class SharedPolicyCacheTest {

    static final String D = "example.test";

    @TempDir
    Path folder;
    final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeRecordLookup dns = new FakeRecordLookup().withId(D, "id1");
    final FakeFetcher httpsA = new FakeFetcher().serving(D, FakeFetcher.policyText("enforce", 86_400, "mx.example.test"));
    final FakeFetcher httpsB = new FakeFetcher().serving(D, FakeFetcher.policyText("enforce", 86_400, "mx.example.test"));
    Database nodeA;
    Database nodeB;

    @AfterEach
    void close() {
        for (Database database : new Database[] {nodeA, nodeB}) {
            if (database != null) {
                database.close();
            }
        }
    }

    DefaultPolicyResolver node(Database database, FakeFetcher https) {
        return DefaultPolicyResolver.start(dns, https, JdbcPolicyStore.create(database), new CollectingRecorder(),
            ResolverListener.NOOP, ResolverSettings.defaults(), clock);
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

        assertThat(httpsA.fetches(D)).isEqualTo(1);
        assertThat(httpsB.fetches(D)).isZero();
        assertThat(dns.lookups(D)).isEqualTo(1);
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
        dns.withId(D, "id2");
        httpsA.serving(D, FakeFetcher.policyText("testing", 86_400, "mx.example.test"));
        clock.advance(ResolverSettings.DEFAULT_MIN_CHECK_INTERVAL);

        assertThat(a.resolve(D).policyId()).contains("id2");
        assertThat(b.resolve(D).policyId()).contains("id2");

        assertThat(b.resolve(D).mode()).isEqualTo(Mode.TESTING);
        assertThat(httpsA.fetches(D)).isEqualTo(2);
        assertThat(httpsB.fetches(D)).isZero();
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
        assertThat(dns.lookups(D)).isEqualTo(1);
        assertThat(httpsA.fetches(D)).isEqualTo(1);
    }
}
