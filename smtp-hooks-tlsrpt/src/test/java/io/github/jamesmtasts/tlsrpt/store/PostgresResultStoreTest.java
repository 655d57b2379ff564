package io.github.jamesmtasts.tlsrpt.store;

import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.EXPIRED;
import static io.github.jamesmtasts.tlsrpt.store.StoreFixtures.STS_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.ResultType;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/** {@link ResultStoreContract} on a real PostgreSQL on 127.0.0.1 (see TestPostgres). */
class PostgresResultStoreTest extends ResultStoreContract {

    @Override
    DatabaseSettings newDatabase(Path folder) {
        return postgresql();
    }

    @Test
    void addShouldStoreTheOtherRowsWhenAHeloHoldsANulCharacter() {
        // H4: PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8: 0x00"); a hostile MX greeting
        // must neither stop the batch nor reach the database as it is.
        ResultStore store = openStore();
        FailureDetails nul = FailureDetails.builder(ResultType.VALIDATION_FAILURE)
            .receivingMxHostname("mx.evil.test").receivingMxHelo("mx\u0000.evil.test").build();

        store.add(DAY, counts(SessionResult.success(STS_A), 2, SessionResult.failure(STS_A, nul), 7,
            SessionResult.failure(STS_A, EXPIRED), 1));

        assertThat(store.aggregates(DAY, "a.test")).hasSize(1);
        PolicyAggregate stored = store.aggregates(DAY, "a.test").get(0);
        assertThat(stored.successCount()).isEqualTo(2);
        assertThat(stored.failures()).containsEntry(EXPIRED, 1L);
        assertThat(stored.failures().keySet()).allSatisfy(details ->
            assertThat(details.receivingMxHelo().orElse("")).doesNotContain("\u0000"));
    }
}
