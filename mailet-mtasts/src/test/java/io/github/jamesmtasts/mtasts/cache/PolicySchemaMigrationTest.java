package io.github.jamesmtasts.mtasts.cache;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;
import io.github.jamesmtasts.tlsrpt.testing.SqlScript;

/** The policy cache table under versioned migrations: upgrades keep cached policies; cluster nodes start together. */
class PolicySchemaMigrationTest {

    private static final int NODES = 8;

    @TempDir
    Path folder;

    static Stream<String> engines() {
        return Stream.of(StoreEngines.H2, StoreEngines.POSTGRESQL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void policiesCachedByAnEarlierVersionShouldStayInForceAfterTheUpgrade(String engine) {
        CachedPolicy policy = JdbcPolicyStoreTest.policy("example.test", "id1", JdbcPolicyStoreTest.T0)
            .failed(JdbcPolicyStoreTest.T0.plusSeconds(5), "sts-policy-fetch-error: HTTP 503", true);
        try (Database database = StoreEngines.open(engine, folder)) {
            SqlScript.run(database, LegacyPolicySchema.SCHEMA);
            database.withConnection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(LegacyPolicySchema.INSERT)) {
                    insert.setString(1, policy.domain().asString());
                    insert.setString(2, policy.recordId());
                    insert.setString(3, policy.policyText());
                    insert.setLong(4, policy.fetchedAt().toEpochMilli());
                    insert.setLong(5, policy.expiresAt().toEpochMilli());
                    insert.setLong(6, policy.lastCheckedAt().toEpochMilli());
                    insert.setLong(7, policy.lastUsedAt().toEpochMilli());
                    insert.setString(8, policy.lastFailure().get());
                    insert.setInt(9, policy.consecutiveFailures());
                    return insert.executeUpdate();
                }
            });

            JdbcPolicyStore store = JdbcPolicyStore.create(database);
            JdbcPolicyStore.create(database);

            CachedPolicy migrated = store.load(name("example.test")).get();
            assertThat(migrated.fetchId()).isZero();
            assertThat(migrated).isEqualTo(CachedPolicy.of(policy.domain(), policy.recordId(), policy.policy(),
                policy.policyText(), policy.fetchedAt(), policy.expiresAt(), policy.lastCheckedAt(),
                policy.lastUsedAt(), policy.lastFailure(), policy.consecutiveFailures(), 0));
            assertThat(store.save(migrated.checked(JdbcPolicyStoreTest.T0.plusSeconds(60)))).isTrue();
        }
    }

    @Test
    void nodesStartingTogetherShouldAllCreateBothPartsOfTheSchema() throws Exception {
        ExecutorService nodes = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < 3; round++) {
                String url = TestPostgres.shared().createDatabase();
                CyclicBarrier together = new CyclicBarrier(NODES);
                List<Future<?>> starts = new ArrayList<>();
                for (int node = 0; node < NODES; node++) {
                    starts.add(nodes.submit(() -> {
                        try (Database database = StoreEngines.openPostgres(url)) {
                            together.await(30, TimeUnit.SECONDS);
                            // The order of MtaStsResources: TLS-RPT tables, then the policy cache.
                            JdbcResultStore.open(database);
                            JdbcPolicyStore.create(database).loadAll();
                        }
                        return null;
                    }));
                }
                for (Future<?> start : starts) {
                    start.get(2, TimeUnit.MINUTES);
                }
            }
        } finally {
            nodes.shutdownNow();
        }
    }
}
