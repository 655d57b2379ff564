package io.github.jamesmtasts.tlsrpt.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;
import io.github.jamesmtasts.tlsrpt.store.JdbcResultStore;
import io.github.jamesmtasts.tlsrpt.store.ResultStore;
import io.github.jamesmtasts.tlsrpt.store.SendClaim;
import io.github.jamesmtasts.tlsrpt.store.SendState;
import io.github.jamesmtasts.tlsrpt.testing.SettableClock;

class ClaimSettlerTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final String DOMAIN = "a.test";
    private static final String RUA = "mailto:tlsrpt@a.test";
    private static final Duration LEASE = Duration.ofMinutes(10);

    @TempDir
    Path folder;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T00:30:00Z"));
    private Database database;
    private ResultStore store;
    private ClaimSettler settler;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(folder.resolve("tlsrpt")));
        store = JdbcResultStore.open(database);
        store.add(DAY, Map.of(SessionResult.success(ReportPolicy.noPolicyFound(DOMAIN)), 1L));
        settler = new ClaimSettler(store, RetrySchedule.rfc8460(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private SendClaim claim(String node) {
        return store.claim(DAY, DOMAIN, RUA, node, LEASE, clock.instant()).orElseThrow();
    }

    private SendState.Status status() {
        return store.sendStates(DAY).stream().filter(s -> s.rua().equals(RUA)).findFirst().orElseThrow().status();
    }

    @Test
    void deliveredShouldMarkTheDestinationSent() {
        DispatchResult result = settler.settle(claim("node-a"), SendOutcome.delivered());

        assertThat(result.kind()).isEqualTo(DispatchResult.Kind.SENT);
        assertThat(status()).isEqualTo(SendState.Status.SENT);
    }

    @Test
    void failedShouldScheduleTheNextAttemptWhileTheScheduleLasts() {
        DispatchResult result = settler.settle(claim("node-a"), SendOutcome.failed("collector down"));

        assertThat(result.kind()).isEqualTo(DispatchResult.Kind.RETRY_SCHEDULED);
        assertThat(result.detail()).contains("collector down");
        assertThat(status()).isNotIn(SendState.Status.SENT, SendState.Status.GAVE_UP);
    }

    @Test
    void failedShouldGiveUpWhenTheScheduleIsOver() {
        SendClaim first = claim("node-a");
        clock.advance(Duration.ofHours(25));

        DispatchResult result = settler.settle(first, SendOutcome.failed("collector down"));

        assertThat(result.kind()).isEqualTo(DispatchResult.Kind.GAVE_UP);
        assertThat(status()).isEqualTo(SendState.Status.GAVE_UP);
    }

    @Test
    void aClaimTakenOverByAnotherNodeShouldBeReportedNotOverwritten() {
        SendClaim stale = claim("node-a");
        clock.advance(LEASE.plusMinutes(1));
        claim("node-b");

        DispatchResult result = settler.settle(stale, SendOutcome.delivered());

        assertThat(result.kind()).isEqualTo(DispatchResult.Kind.CLAIM_LOST);
        assertThat(status()).isNotEqualTo(SendState.Status.SENT);
    }
}
