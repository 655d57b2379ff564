package io.github.jamesmtasts.tlsrpt.store;

import io.github.jamesmtasts.tlsrpt.testing.SettableClock;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.EXPIRED;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.FETCH_ERROR;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.NONE_B;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A_TESTING;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.UNTRUSTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.recorder.BatchingTlsRptRecorder;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * What every {@link ResultStore} database must do: counters. Run against the embedded H2 file database and a real
 * PostgreSQL by the subclasses; the send claims are in {@link SendClaimContract}.
 */
abstract class ResultStoreContract extends StoreContractBase {

    static final LocalDate DAY = LocalDate.of(2026, 11, 22);

    @Test
    void addShouldStoreTheOtherRowsWhenTheDatabaseRejectsOne() {
        // H4: one row the database refuses (here through a CHECK constraint) must not hold back the rest of the batch.
        Database node = openNode();
        ResultStore store = JdbcResultStore.open(node);
        node.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE tlsrpt_failure ADD CONSTRAINT test_refuses_one_helo"
                    + " CHECK (receiving_mx_helo IS NULL OR receiving_mx_helo <> 'refused.test')");
            }
            return null;
        });
        FailureDetails refused = FailureDetails.builder(ResultType.VALIDATION_FAILURE).receivingMxHelo("refused.test").build();

        store.add(DAY, counts(SessionResult.success(STS_A), 2, SessionResult.failure(STS_A, refused), 7,
            SessionResult.failure(STS_A, EXPIRED), 1, SessionResult.success(NONE_B), 3));

        assertThat(store.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, 2, Map.of(EXPIRED, 1L)));
        assertThat(store.aggregates(DAY, "b.test")).containsExactly(PolicyAggregate.of(NONE_B, 3, Map.of()));
        assertThat(((JdbcResultStore) store).rejectedRows()).isEqualTo(1);
    }

    @Test
    void addShouldSumIncrementsOfTheSameResult() {
        ResultStore store = openStore();

        store.add(DAY, counts(SessionResult.success(STS_A), 2, SessionResult.failure(STS_A, EXPIRED), 1));
        store.add(DAY, counts(SessionResult.success(STS_A), 3, SessionResult.failure(STS_A, EXPIRED), 4));

        assertThat(store.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, 5, Map.of(EXPIRED, 5L)));
    }

    @Test
    void addShouldKeepDaysAndDomainsApart() {
        ResultStore store = openStore();

        store.add(DAY, counts(SessionResult.success(STS_A), 1, SessionResult.success(NONE_B), 2));
        store.add(DAY.plusDays(1), counts(SessionResult.failure(STS_A, FETCH_ERROR), 4));

        assertThat(store.policyDomains(DAY)).containsExactly("a.test", "b.test");
        assertThat(store.policyDomains(DAY.plusDays(1))).containsExactly("a.test");
        assertThat(store.policyDomains(DAY.minusDays(1))).isEmpty();
        assertThat(store.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, 1, Map.of()));
        assertThat(store.aggregates(DAY, "b.test")).containsExactly(PolicyAggregate.of(NONE_B, 2, Map.of()));
        assertThat(store.aggregates(DAY.plusDays(1), "a.test"))
            .containsExactly(PolicyAggregate.of(STS_A, 0, Map.of(FETCH_ERROR, 4L)));
        assertThat(store.summaries(DAY)).containsExactly(
            Map.entry("a.test", DaySummary.of(1, 0)), Map.entry("b.test", DaySummary.of(2, 0)));
        assertThat(store.summaries(DAY.plusDays(1))).containsExactly(Map.entry("a.test", DaySummary.of(0, 4)));
    }

    @Test
    void aggregatesShouldGroupByPolicyBlockAndKeepEveryFailureField() {
        ResultStore store = openStore();

        store.add(DAY, counts(SessionResult.success(STS_A), 7, SessionResult.failure(STS_A, EXPIRED), 1,
            SessionResult.failure(STS_A, UNTRUSTED), 3, SessionResult.success(STS_A_TESTING), 2,
            SessionResult.failure(STS_A_TESTING, EXPIRED), 5, SessionResult.success(NONE_B), 9));

        List<PolicyAggregate> aggregates = store.aggregates(DAY, "a.test");
        assertThat(aggregates).containsExactlyInAnyOrder(
            PolicyAggregate.of(STS_A, 7, Map.of(UNTRUSTED, 3L, EXPIRED, 1L)),
            PolicyAggregate.of(STS_A_TESTING, 2, Map.of(EXPIRED, 5L)));
        PolicyAggregate enforce = aggregates.stream().filter(a -> a.policy().equals(STS_A)).findFirst().orElseThrow();
        assertThat(enforce.failures().keySet()).as("most frequent failure first").containsExactly(UNTRUSTED, EXPIRED);
        assertThat(enforce.policy().policyStrings()).isEqualTo(STS_A.policyStrings());
        assertThat(store.summaries(DAY).get("a.test")).isEqualTo(DaySummary.of(9, 9));
    }

    @Test
    void aggregatesShouldKeepATlsaBlockApartFromTheStsBlockOfTheSameDomain() {
        // RFC 8460 4.4 with RFC 7672: DANE sessions of a domain are reported under policy-type tlsa, one block per MX.
        ReportPolicy tlsa = ReportPolicy.of(PolicyType.TLSA, "a.test", List.of("3 1 1 " + "ab".repeat(32)),
            List.of("mx-b.a.test"));
        FailureDetails tlsaInvalid = FailureDetails.builder(ResultType.TLSA_INVALID).receivingMxHostname("mx-b.a.test")
            .receivingIp("192.0.2.26").build();
        ResultStore store = openStore();

        store.add(DAY, counts(SessionResult.success(STS_A), 2, SessionResult.success(tlsa), 5,
            SessionResult.failure(tlsa, tlsaInvalid), 1, SessionResult.failure(STS_A, EXPIRED), 3));

        assertThat(store.aggregates(DAY, "a.test")).containsExactlyInAnyOrder(
            PolicyAggregate.of(STS_A, 2, Map.of(EXPIRED, 3L)),
            PolicyAggregate.of(tlsa, 5, Map.of(tlsaInvalid, 1L)));
        assertThat(store.summaries(DAY).get("a.test")).isEqualTo(DaySummary.of(7, 4));
    }

    @Test
    void readsShouldNormalizeThePolicyDomain() {
        ResultStore store = openStore();

        store.add(DAY, counts(SessionResult.success(STS_A), 1));

        assertThat(store.aggregates(DAY, "A.Test.")).containsExactly(PolicyAggregate.of(STS_A, 1, Map.of()));
        assertThat(store.aggregates(DAY, "c.test")).isEmpty();
    }

    @Test
    void addShouldRejectTheWholeBatchWhenOneEntryCannotBeStored() {
        ResultStore store = openStore();
        ReportPolicy tooLong = ReportPolicy.noPolicyFound("x".repeat(300) + ".test");

        assertThatThrownBy(() -> store.add(DAY, counts(SessionResult.success(STS_A), 1, SessionResult.success(tooLong), 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 255");
        assertThatThrownBy(() -> store.add(DAY, counts(SessionResult.success(STS_A), 0)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThat(store.policyDomains(DAY)).isEmpty();
    }

    @Test
    void countersShouldSurviveClosingAndReopeningTheDatabase() {
        Database first = Database.open(settings);
        JdbcResultStore.open(first).add(DAY, counts(SessionResult.success(STS_A), 3, SessionResult.failure(STS_A, UNTRUSTED), 2));
        first.close();

        ResultStore reopened = openStore();

        assertThat(reopened.aggregates(DAY, "a.test")).containsExactly(PolicyAggregate.of(STS_A, 3, Map.of(UNTRUSTED, 2L)));
    }

    @Test
    void twoNodesShouldSumTheirRecordsIntoOneDatabase() throws Exception {
        SettableClock clock = new SettableClock(DAY.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC));
        ResultStore node1 = openStore();
        ResultStore node2 = openStore();
        int perThread = 2_000;
        List<SessionResult> results = List.of(SessionResult.success(STS_A), SessionResult.failure(STS_A, EXPIRED),
            SessionResult.failure(STS_A, UNTRUSTED), SessionResult.success(NONE_B));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (BatchingTlsRptRecorder recorder1 = BatchingTlsRptRecorder.start(node1, clock, java.time.Duration.ofMillis(5), 3);
             BatchingTlsRptRecorder recorder2 = BatchingTlsRptRecorder.start(node2, clock, java.time.Duration.ofMillis(5), 3)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CompletionStage<Void>>> done = new ArrayList<>();
            for (BatchingTlsRptRecorder recorder : List.of(recorder1, recorder2, recorder1, recorder2)) {
                done.add(threads.submit(() -> {
                    start.await();
                    CompletionStage<Void> last = null;
                    for (int i = 0; i < perThread; i++) {
                        last = recorder.record(results.get(i % results.size()));
                    }
                    return last;
                }));
            }
            start.countDown();
            for (Future<CompletionStage<Void>> future : done) {
                future.get(1, TimeUnit.MINUTES).toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        long each = 4L * perThread / results.size();
        for (ResultStore node : List.of(node1, node2)) {
            assertThat(node.aggregates(DAY, "a.test")).containsExactly(
                PolicyAggregate.of(STS_A, each, Map.of(EXPIRED, each, UNTRUSTED, each)));
            assertThat(node.summaries(DAY)).containsExactly(
                Map.entry("a.test", DaySummary.of(each, 2 * each)), Map.entry("b.test", DaySummary.of(each, 0)));
        }
    }

    @Test
    void purgeShouldDeleteOlderDaysAndKeepWhatNewerDaysUse() throws Exception {
        ResultStore node1 = openStore();
        ResultStore node2 = openStore();
        node1.add(DAY, counts(SessionResult.success(STS_A), 1, SessionResult.failure(STS_A_TESTING, UNTRUSTED), 1));
        node2.add(DAY, counts(SessionResult.failure(STS_A, EXPIRED), 1));
        node1.add(DAY.plusDays(1), counts(SessionResult.success(STS_A), 2));
        node1.claim(DAY, "a.test", "mailto:tlsrpt@a.test", "node1", java.time.Duration.ofMinutes(5),
            DAY.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));

        assertThat(node1.purgeBefore(DAY.plusDays(1))).isEqualTo(3);
        // node2 saw EXPIRED only on the purged day: it must store the details again, not point at a deleted row.
        node2.add(DAY.plusDays(1), counts(SessionResult.failure(STS_A, EXPIRED), 1));

        assertThat(node1.policyDomains(DAY)).isEmpty();
        assertThat(node1.sendStates(DAY)).isEmpty();
        assertThat(node1.aggregates(DAY.plusDays(1), "a.test"))
            .containsExactly(PolicyAggregate.of(STS_A, 2, Map.of(EXPIRED, 1L)));
        assertThat(rows("tlsrpt_policy")).as("STS_A_TESTING was used on the purged day only").isEqualTo(1);
        assertThat(rows("tlsrpt_failure")).as("UNTRUSTED was used on the purged day only").isEqualTo(1);
    }

    private long rows(String table) {
        return openNode().withConnection(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
