package io.github.jamesmtasts.tlsrpt.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Exactly-once report sending across nodes (design 6, RFC 8460 5.5), against each database engine. */
abstract class SendClaimContract extends StoreContractBase {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Instant T0 = Instant.parse("2026-11-23T00:17:00Z");
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final String RUA = "mailto:tlsrpt@a.test";

    @Test
    void claimShouldBeWonByExactlyOneOfTwoConcurrentNodes() throws Exception {
        List<ResultStore> nodes = List.of(openStore(), openStore());
        int destinations = 30;

        raceForEveryDestination(nodes, destinations, T0);

        assertThat(nodes.get(0).sendStates(DAY)).hasSize(destinations)
            .allSatisfy(state -> assertThat(state.attempts()).isEqualTo(1));
    }

    @Test
    void expiredLeaseShouldBeTakenOverByExactlyOneOfTwoConcurrentNodes() throws Exception {
        List<ResultStore> nodes = List.of(openStore(), openStore());
        int destinations = 30;
        for (int d = 0; d < destinations; d++) {
            nodes.get(0).claim(DAY, "a.test", "mailto:r" + d + "@a.test", "crashed", LEASE, T0.minus(LEASE));
        }

        raceForEveryDestination(nodes, destinations, T0);

        assertThat(nodes.get(0).sendStates(DAY)).hasSize(destinations)
            .allSatisfy(state -> assertThat(state.attempts()).isEqualTo(2));
    }

    private static void raceForEveryDestination(List<ResultStore> nodes, int destinations, Instant now) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Boolean>>> won = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                ResultStore node = nodes.get(n);
                String nodeId = "node" + n;
                won.add(threads.submit(() -> {
                    List<Boolean> mine = new ArrayList<>();
                    for (int d = 0; d < destinations; d++) {
                        together.await(1, TimeUnit.MINUTES);
                        mine.add(node.claim(DAY, "a.test", "mailto:r" + d + "@a.test", nodeId, LEASE, now).isPresent());
                    }
                    return mine;
                }));
            }
            List<Boolean> first = won.get(0).get(2, TimeUnit.MINUTES);
            List<Boolean> second = won.get(1).get(2, TimeUnit.MINUTES);
            for (int d = 0; d < destinations; d++) {
                assertThat(first.get(d) ^ second.get(d)).as("destination %d claimed by exactly one node", d).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void claimShouldBeRefusedWhileTheLeaseRuns() {
        ResultStore node1 = openStore();
        ResultStore node2 = openStore();

        Optional<SendClaim> claim = node1.claim(DAY, "a.test", RUA, "node1", LEASE, T0);

        assertThat(claim).contains(SendClaim.of(DAY, "a.test", RUA, "node1", 1, T0, T0.plus(LEASE)));
        assertThat(node2.claim(DAY, "a.test", RUA, "node2", LEASE, T0.plus(LEASE).minusMillis(1))).isEmpty();
        assertThat(node1.claim(DAY, "a.test", RUA, "node1", LEASE, T0.plusSeconds(1))).as("not re-entrant").isEmpty();
    }

    @Test
    void expiredLeaseShouldBeTakenOverByAnotherNodeAndFenceTheFirst() {
        ResultStore node1 = openStore();
        ResultStore node2 = openStore();
        SendClaim crashed = node1.claim(DAY, "A.test", RUA, "node1", LEASE, T0).orElseThrow();

        Optional<SendClaim> takeOver = node2.claim(DAY, "a.test", RUA, "node2", LEASE, T0.plus(LEASE));

        assertThat(takeOver).contains(SendClaim.of(DAY, "a.test", RUA, "node2", 2, T0, T0.plus(LEASE).plus(LEASE)));
        assertThat(node1.markSent(crashed, T0.plus(LEASE))).as("stale holder cannot finish").isFalse();
        assertThat(node1.markFailed(crashed, T0.plus(LEASE), "late")).isFalse();
        assertThat(node2.markSent(takeOver.get(), T0.plus(LEASE).plusSeconds(3))).isTrue();
        assertThat(node1.sendStates(DAY)).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(SendState.Status.SENT);
            assertThat(state.lastNode()).contains("node2");
            assertThat(state.attempts()).isEqualTo(2);
            assertThat(state.finishedAt()).contains(T0.plus(LEASE).plusSeconds(3));
        });
    }

    @Test
    void markSentShouldPreventEveryLaterClaim() {
        ResultStore node1 = openStore();
        ResultStore node2 = openStore();
        SendClaim claim = node1.claim(DAY, "a.test", RUA, "node1", LEASE, T0).orElseThrow();

        assertThat(node1.markSent(claim, T0.plusSeconds(2))).isTrue();

        assertThat(node2.claim(DAY, "a.test", RUA, "node2", LEASE, T0.plus(Duration.ofDays(2)))).isEmpty();
        assertThat(node1.claim(DAY, "a.test", RUA, "node1", LEASE, T0.plus(Duration.ofDays(2)))).isEmpty();
        assertThat(node1.markSent(claim, T0.plusSeconds(3))).as("only once").isFalse();
    }

    @Test
    void markFailedShouldReleaseTheLeaseUntilTheNextAttemptAndKeepTheCount() {
        ResultStore node1 = openStore();
        ResultStore node2 = openStore();
        SendClaim claim = node1.claim(DAY, "a.test", RUA, "node1", LEASE, T0).orElseThrow();
        Instant retry = T0.plus(Duration.ofHours(1));

        assertThat(node1.markFailed(claim, retry, "421 4.7.0 try later")).isTrue();

        assertThat(node1.sendStates(DAY)).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(SendState.Status.RETRY_WAITING);
            assertThat(state.nextAttempt()).contains(retry);
            assertThat(state.lastError()).contains("421 4.7.0 try later");
            assertThat(state.leaseUntil()).isEmpty();
        });
        assertThat(node2.claim(DAY, "a.test", RUA, "node2", LEASE, retry.minusMillis(1))).isEmpty();
        assertThat(node2.claim(DAY, "a.test", RUA, "node2", LEASE, retry))
            .contains(SendClaim.of(DAY, "a.test", RUA, "node2", 2, T0, retry.plus(LEASE)));
        assertThat(node1.sendStates(DAY)).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(SendState.Status.CLAIMED);
            assertThat(state.lastAttempt()).isEqualTo(retry);
            assertThat(state.firstAttempt()).isEqualTo(T0);
        });
    }

    @Test
    void giveUpShouldStopRetries() {
        ResultStore store = openStore();
        SendClaim claim = store.claim(DAY, "a.test", RUA, "node1", LEASE, T0).orElseThrow();

        assertThat(store.giveUp(claim, T0.plus(Duration.ofHours(24)), "550 5.1.1 no such user")).isTrue();

        assertThat(store.claim(DAY, "a.test", RUA, "node1", LEASE, T0.plus(Duration.ofDays(3)))).isEmpty();
        assertThat(store.sendStates(DAY)).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(SendState.Status.GAVE_UP);
            assertThat(state.lastError()).contains("550 5.1.1 no such user");
        });
    }

    @Test
    void claimsShouldBeTrackedPerDestinationDomainAndDay() {
        ResultStore store = openStore();
        String https = "https://reports.a.test/tlsrpt?x=" + "y".repeat(3000);

        assertThat(store.claim(DAY, "a.test", RUA, "n", LEASE, T0)).isPresent();
        assertThat(store.claim(DAY, "a.test", https, "n", LEASE, T0)).as("long URI: hashed key").isPresent();
        assertThat(store.claim(DAY, "b.test", RUA, "n", LEASE, T0)).isPresent();
        assertThat(store.claim(DAY.plusDays(1), "a.test", RUA, "n", LEASE, T0)).isPresent();

        assertThat(store.sendStates(DAY)).extracting(SendState::policyDomain, SendState::rua)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("a.test", https),
                org.assertj.core.groups.Tuple.tuple("a.test", RUA), org.assertj.core.groups.Tuple.tuple("b.test", RUA));
    }
}
