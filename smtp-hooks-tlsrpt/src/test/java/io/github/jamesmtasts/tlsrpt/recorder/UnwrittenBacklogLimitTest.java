package io.github.jamesmtasts.tlsrpt.recorder;

import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

/** Issue 9: while the database is down, distinct results kept for the next flush must not grow without bound. */
class UnwrittenBacklogLimitTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Duration NEVER = Duration.ofDays(1);
    private static final int PER_FLUSH = 40_000;
    private static final int FLUSHES = 4;

    @TempDir
    Path folder;
    private Database database;
    private SwitchableResultStore store;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));

    @BeforeEach
    void openStore() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("db")));
        store = new SwitchableResultStore(JdbcResultStore.open(database));
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    @Test
    void backlogShouldStayBoundedWhileTheStoreIsDownAndTotalsExactOnceItRecovers() throws Exception {
        try (BatchingTlsRptRecorder recorder = BatchingTlsRptRecorder.start(store, clock, RecorderSettings.defaults().withFlushInterval(NEVER).withMaxPendingKeys(Integer.MAX_VALUE))) {
            store.down(true);
            int session = 0;
            for (int flush = 0; flush < FLUSHES; flush++) {
                for (int i = 0; i < PER_FLUSH; i++) {
                    recorder.record(hostileSession(session++));
                }
                recorder.writeOnce();
                assertThat(recorder.pendingKeys()).isLessThanOrEqualTo(
                    BatchingTlsRptRecorder.MAX_UNWRITTEN_KEYS + BatchingTlsRptRecorder.MAX_UNWRITTEN_OVERFLOW_KEYS);
            }
            assertThat(store.awaitFailedAdds(FLUSHES)).isTrue();
            assertThat(recorder.foldedKeys()).isPositive();

            store.down(false);
            recorder.flush();

            assertThat(recorder.pendingKeys()).isZero();
            PolicyAggregate aggregate = store.aggregates(DAY, "a.test").get(0);
            assertThat(aggregate.failureCount()).isEqualTo((long) PER_FLUSH * FLUSHES);
        }
    }

    private static SessionResult hostileSession(int i) {
        return SessionResult.failure(STS_A, FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
            .sendingMtaIp("192.0.2.10").receivingMxHostname("mx1.a.test").receivingIp("198.51.100.7")
            .receivingMxHelo("helo-" + i + ".attacker.test").build());
    }
}
