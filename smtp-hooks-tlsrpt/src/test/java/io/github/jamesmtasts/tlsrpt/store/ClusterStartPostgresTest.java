package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.testing.TestPostgres;
import io.github.jamesmtasts.tlsrpt.testing.SqlScript;

/** Nodes of a cluster that start together on one new PostgreSQL database all come up (issue 9, item 9). */
class ClusterStartPostgresTest {

    private static final int NODES = 8;
    private static final int ROUNDS = 5;

    @Test
    void nodesStartingTogetherOnANewDatabaseShouldAllCreateTheSchema() throws Exception {
        startTogether(false);
    }

    @Test
    void nodesStartingTogetherOnADatabaseOfAnEarlierVersionShouldAllMigrateIt() throws Exception {
        startTogether(true);
    }

    private static void startTogether(boolean earlierVersion) throws Exception {
        ExecutorService nodes = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String url = TestPostgres.shared().createDatabase();
                if (earlierVersion) {
                    try (Database database = Database.open(DatabaseSettings.postgresql(url,
                        Optional.of(TestPostgres.shared().user()), Optional.empty(), 1))) {
                        SqlScript.run(database, LegacyTlsRptSchema.SCHEMA);
                    }
                }
                CyclicBarrier together = new CyclicBarrier(NODES);
                List<Future<?>> starts = new ArrayList<>();
                for (int node = 0; node < NODES; node++) {
                    starts.add(nodes.submit(() -> {
                        try (Database database = Database.open(DatabaseSettings.postgresql(url,
                            Optional.of(TestPostgres.shared().user()), Optional.empty(), 1))) {
                            together.await(30, TimeUnit.SECONDS);
                            JdbcResultStore.open(database);
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
