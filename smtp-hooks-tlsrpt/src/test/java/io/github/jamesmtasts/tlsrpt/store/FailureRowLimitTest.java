package io.github.jamesmtasts.tlsrpt.store;

import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/** Issue 9: an MX that names itself differently on every session must not add a counter row per session. */
class FailureRowLimitTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final int SESSIONS = 5_000;

    @TempDir
    Path folder;
    private Database database;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("db")));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static SessionResult hostileSession(int i) {
        return SessionResult.failure(STS_A, FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
            .sendingMtaIp("192.0.2.10").receivingMxHostname("mx1.a.test").receivingIp("198.51.100.7")
            .receivingMxHelo("helo-" + i + ".attacker.test").failureReasonCode("reply " + i).build());
    }

    @Test
    void distinctHeloNamesShouldBeFoldedIntoOneOverflowRowOnceTheDomainReachedItsLimit() {
        ResultStore store = JdbcResultStore.open(database);
        for (int i = 0; i < SESSIONS; i++) {
            store.add(DAY, Map.of(hostileSession(i), 1L));
        }

        assertThat(counterRows("a.test")).isLessThanOrEqualTo(FailureRowLimit.MAX_FAILURE_ROWS_PER_DOMAIN + 1);
        PolicyAggregate aggregate = store.aggregates(DAY, "a.test").get(0);
        assertThat(aggregate.failureCount()).isEqualTo(SESSIONS);
        FailureDetails overflow = FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
            .sendingMtaIp("192.0.2.10").receivingMxHostname("mx1.a.test").receivingIp("198.51.100.7")
            .failureReasonCode(FailureDetails.DETAILS_LIMIT_REACHED).build();
        assertThat(aggregate.failures()).containsEntry(overflow,
            (long) SESSIONS - FailureRowLimit.MAX_FAILURE_ROWS_PER_DOMAIN);
    }

    @Test
    void theLimitShouldHoldAfterARestartAndKeepCountingKnownRows() {
        ResultStore first = JdbcResultStore.open(database);
        for (int i = 0; i < SESSIONS; i++) {
            first.add(DAY, Map.of(hostileSession(i), 1L));
        }
        // A second node (or this one after a restart) starts with no cache.
        ResultStore second = JdbcResultStore.open(database);
        for (int i = SESSIONS; i < 2 * SESSIONS; i++) {
            second.add(DAY, Map.of(hostileSession(i), 1L));
        }
        second.add(DAY, Map.of(hostileSession(0), 5L));

        assertThat(counterRows("a.test")).isLessThanOrEqualTo(FailureRowLimit.MAX_FAILURE_ROWS_PER_DOMAIN + 1);
        PolicyAggregate aggregate = second.aggregates(DAY, "a.test").get(0);
        assertThat(aggregate.failureCount()).isEqualTo(2L * SESSIONS + 5);
        assertThat(aggregate.failures()).containsEntry(hostileSession(0).failure().get(), 6L);
    }

    @Test
    void anMxRotatingItsAddressesTooShouldStillBeBounded() {
        ResultStore store = JdbcResultStore.open(database);
        for (int i = 0; i < SESSIONS; i++) {
            SessionResult session = SessionResult.failure(STS_A, FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
                .receivingMxHostname("mx1.a.test").receivingIp("198.51." + (i / 256) + "." + (i % 256))
                .receivingMxHelo("helo-" + i + ".attacker.test").build());
            store.add(DAY, Map.of(session, 1L));
        }

        assertThat(counterRows("a.test")).isLessThanOrEqualTo(
            FailureRowLimit.MAX_FAILURE_ROWS_PER_DOMAIN + FailureRowLimit.MAX_OVERFLOW_ROWS_PER_DOMAIN + 1);
        PolicyAggregate aggregate = store.aggregates(DAY, "a.test").get(0);
        assertThat(aggregate.failureCount()).isEqualTo(SESSIONS);
        assertThat(aggregate.failures()).containsKey(FailureDetails.builder(ResultType.CERTIFICATE_EXPIRED)
            .failureReasonCode(FailureDetails.DETAILS_LIMIT_REACHED).build());
    }

    @Test
    void twoNodesWritingTheSameDomainShouldOvershootByAtMostTheirReloadInterval() {
        ResultStore one = JdbcResultStore.open(database);
        ResultStore two = JdbcResultStore.open(database);
        for (int i = 0; i < SESSIONS; i++) {
            (i % 2 == 0 ? one : two).add(DAY, Map.of(hostileSession(i), 1L));
        }

        assertThat(counterRows("a.test")).isLessThanOrEqualTo(
            FailureRowLimit.MAX_FAILURE_ROWS_PER_DOMAIN + 2L * FailureRowLimit.RELOAD_EVERY + 1);
        assertThat(one.aggregates(DAY, "a.test").get(0).failureCount()).isEqualTo(SESSIONS);
    }

    @Test
    void otherDomainsShouldKeepTheirDetails() {
        ResultStore store = JdbcResultStore.open(database);
        for (int i = 0; i < SESSIONS; i++) {
            store.add(DAY, Map.of(hostileSession(i), 1L));
        }
        SessionResult other = SessionResult.failure(StoreFixtures.NONE_B, StoreFixtures.UNTRUSTED);
        store.add(DAY, Map.of(other, 2L));

        assertThat(store.aggregates(DAY, "b.test").get(0).failures()).containsEntry(StoreFixtures.UNTRUSTED, 2L);
    }

    private long counterRows(String domain) {
        return database.withConnection(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*) FROM tlsrpt_counter WHERE report_day = ? AND policy_domain = ?")) {
                statement.setDate(1, java.sql.Date.valueOf(DAY));
                statement.setString(2, domain);
                try (java.sql.ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
