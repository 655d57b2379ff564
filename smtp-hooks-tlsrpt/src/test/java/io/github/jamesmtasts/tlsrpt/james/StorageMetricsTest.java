package io.github.jamesmtasts.tlsrpt.james;

import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.recorder.RecorderSettings;
import io.github.jamesmtasts.tlsrpt.recorder.TlsRptStorage;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.testing.RecordingGaugeRegistry;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

class StorageMetricsTest {

    /** The store's distinct failure rows per policy domain and day before it folds details (FailureRowLimit). */
    private static final int ROWS_PER_DOMAIN = 1_000;

    @TempDir
    Path folder;
    private Database database;
    private TlsRptStorage storage;
    private final RecordingGaugeRegistry gauges = new RecordingGaugeRegistry();

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("db")));
        // Flushed by the test only.
        storage = TlsRptStorage.on(database, new SettableClock(Instant.parse("2026-11-22T10:00:00Z")),
            RecorderSettings.defaults().withFlushInterval(Duration.ofDays(1)).withMaxPendingKeys(Integer.MAX_VALUE));
        StorageMetrics.register(storage, gauges);
    }

    @AfterEach
    void close() {
        storage.close();
        database.close();
    }

    @Test
    void everyCountOfTheStoreAndTheRecorderShouldBePublishedFromZero() {
        assertThat(gauges.value(StorageMetrics.STORE_REJECTED_ROWS)).contains(0L);
        assertThat(gauges.value(StorageMetrics.STORE_FOLDED_SESSIONS)).contains(0L);
        assertThat(gauges.value(StorageMetrics.RECORDER_PENDING_KEYS)).contains(0L);
        assertThat(gauges.value(StorageMetrics.RECORDER_FOLDED_KEYS)).contains(0L);
        assertThat(gauges.value(StorageMetrics.RECORDER_UNCOMMITTED_WAITS)).contains(0L);
    }

    @Test
    void pendingKeysShouldCountDistinctResultsUntilTheyAreWritten() {
        storage.recorder().record(SessionResult.success(STS_A));
        storage.recorder().record(SessionResult.success(STS_A));
        storage.recorder().record(failure("mx.a.test"));

        assertThat(gauges.value(StorageMetrics.RECORDER_PENDING_KEYS)).contains(2L);
        storage.recorder().flush();
        assertThat(gauges.value(StorageMetrics.RECORDER_PENDING_KEYS)).contains(0L);
    }

    @Test
    void rejectedRowsShouldCountTheRowsTheDatabaseRefused() {
        database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE tlsrpt_failure ADD CONSTRAINT test_refuses_one_helo"
                    + " CHECK (receiving_mx_helo IS NULL OR receiving_mx_helo <> 'refused.test')");
            }
            return null;
        });
        storage.recorder().record(SessionResult.success(STS_A));
        storage.recorder().record(failure("refused.test"));

        storage.recorder().flush();

        assertThat(gauges.value(StorageMetrics.STORE_REJECTED_ROWS)).contains(1L);
    }

    @Test
    void foldedSessionsShouldCountSessionsPastTheDomainsFailureRowLimit() {
        for (int i = 0; i <= ROWS_PER_DOMAIN; i++) {
            storage.recorder().record(failure("helo-" + i + ".mx.a.test"));
        }

        storage.recorder().flush();

        assertThat(gauges.value(StorageMetrics.STORE_FOLDED_SESSIONS)).contains(1L);
    }

    private static SessionResult failure(String helo) {
        return SessionResult.failure(STS_A, FailureDetails.builder(ResultType.VALIDATION_FAILURE)
            .receivingMxHelo(helo).build());
    }
}
