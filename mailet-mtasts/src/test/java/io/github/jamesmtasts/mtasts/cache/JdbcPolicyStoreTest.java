package io.github.jamesmtasts.mtasts.cache;

import static io.github.jamesmtasts.tlsrpt.testing.TestNames.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;
import io.github.jamesmtasts.mtasts.resolve.FakeFetcher;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.DatabaseSettings;

class JdbcPolicyStoreTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");
    static final String TEXT = FakeFetcher.policyText("enforce", 86_400, "mx.example.test", "*.backup.example.test");

    @TempDir
    Path folder;
    Database database;

    static Stream<String> engines() {
        return Stream.of(StoreEngines.H2, StoreEngines.POSTGRESQL);
    }

    JdbcPolicyStore open(String engine) {
        database = StoreEngines.open(engine, folder);
        return JdbcPolicyStore.create(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    static CachedPolicy policy(String domain, String id, Instant fetchedAt) {
        return CachedPolicy.fetched(name(domain), id, StsPolicyParser.parse(TEXT).policy().get(), TEXT, fetchedAt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void saveThenLoadShouldGiveBackEveryField(String engine) {
        JdbcPolicyStore store = open(engine);
        CachedPolicy fetched = policy("example.test", "20260101T000000", T0);
        CachedPolicy policy = fetched
            .failed(T0.plusSeconds(60), "sts-policy-fetch-error: HTTP 503 from mta-sts.example.test", true)
            .usedAt(T0.plusSeconds(120));

        assertThat(store.save(fetched)).isTrue();
        assertThat(store.save(policy)).isTrue();

        assertThat(store.load(name("example.test"))).contains(policy);
        assertThat(store.loadAll()).containsExactly(policy);
        assertThat(store.load(name("other.test"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void saveShouldReplaceAnOlderFetchButNeverOneFetchedLater(String engine) {
        JdbcPolicyStore store = open(engine);
        CachedPolicy older = policy("example.test", "id1", T0.plusSeconds(600));
        // Saved later, by a node whose clock is ten minutes behind: the database's order decides, not fetched_at.
        CachedPolicy newer = policy("example.test", "id2", T0);
        store.save(older);

        assertThat(store.save(newer)).isTrue();
        assertThat(store.save(older.checked(T0.plusSeconds(900)))).isFalse();
        assertThat(store.save(newer.checked(T0.plusSeconds(900)))).isTrue();

        // The last use never moves back: the older fetch was used at its fetch time.
        assertThat(store.load(name("example.test"))).contains(newer.checked(T0.plusSeconds(900)).usedAt(T0.plusSeconds(600)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void deletedPolicyShouldStayDeletedUntilANewFetch(String engine) {
        JdbcPolicyStore store = open(engine);
        CachedPolicy policy = policy("example.test", "id1", T0);
        store.save(policy);

        assertThat(store.delete(name("example.test"))).isTrue();
        assertThat(store.save(policy.checked(T0.plusSeconds(60)))).as("another node's copy").isFalse();
        store.markUsed(name("example.test"), T0.plusSeconds(90));

        assertThat(store.load(name("example.test"))).isEmpty();
        assertThat(store.loadAll()).isEmpty();
        assertThat(store.isDeleted(name("example.test"))).isTrue();
        assertThat(store.delete(name("example.test"))).isFalse();
        CachedPolicy refetched = policy("example.test", "id1", T0.plusSeconds(120));
        assertThat(store.save(refetched)).isTrue();
        assertThat(store.isDeleted(name("example.test"))).isFalse();
        assertThat(store.load(name("example.test"))).contains(refetched);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void lastUseShouldOnlyMoveForward(String engine) {
        JdbcPolicyStore store = open(engine);
        store.save(policy("example.test", "id1", T0).usedAt(T0.plusSeconds(100)));

        store.markUsed(name("example.test"), T0.plusSeconds(50));
        assertThat(store.load(name("example.test")).get().lastUsedAt()).isEqualTo(T0.plusSeconds(100));
        store.save(policy("example.test", "id1", T0.plusSeconds(10)));
        assertThat(store.load(name("example.test")).get().lastUsedAt()).isEqualTo(T0.plusSeconds(100));
        store.markUsed(name("example.test"), T0.plusSeconds(200));
        assertThat(store.load(name("example.test")).get().lastUsedAt()).isEqualTo(T0.plusSeconds(200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void evictShouldDeleteOnlyPoliciesThatExpiredAndWereUnused(String engine) {
        JdbcPolicyStore store = open(engine);
        store.save(policy("expired-unused.test", "id1", T0));
        store.save(policy("expired-used.test", "id1", T0).usedAt(T0.plus(Duration.ofDays(5))));
        store.save(policy("valid-unused.test", "id1", T0.plus(Duration.ofDays(9))).usedAt(T0));
        Instant now = T0.plus(Duration.ofDays(10));

        assertThat(store.evict(now, T0.plus(Duration.ofDays(1)))).isEqualTo(1);

        assertThat(store.loadAll()).extracting(CachedPolicy::domain)
            .containsExactlyInAnyOrder(name("expired-used.test"), name("valid-unused.test"));
        assertThat(store.delete(name("expired-used.test"))).isTrue();
        assertThat(store.delete(name("expired-used.test"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void corruptRowShouldBeLoggedAsAnErrorAndTreatedAsAbsent(String engine) {
        JdbcPolicyStore store = open(engine);
        store.save(policy("good.test", "id1", T0));
        store.save(policy("broken.test", "id1", T0));
        database.withConnection(connection -> {
            try (PreparedStatement corrupt = connection.prepareStatement(
                "UPDATE mtasts_policy SET policy_text = ? WHERE domain = 'broken.test'")) {
                corrupt.setString(1, "<html>502 Bad Gateway</html>");
                return corrupt.executeUpdate();
            }
        });
        List<ILoggingEvent> log = logOf(() -> {
            assertThat(store.loadAll()).extracting(CachedPolicy::domain).containsExactly(name("good.test"));
            assertThat(store.load(name("broken.test"))).isEmpty();
        });

        assertThat(log).hasSize(2).allSatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains("broken.test", "does not parse", "policy line 1",
                "DELETE FROM mtasts_policy WHERE domain = 'broken.test'");
        });
        assertThat(store.save(policy("broken.test", "id2", T0.plusSeconds(1)))).isTrue();
        assertThat(store.load(name("broken.test"))).isPresent();
    }

    /** What the store logs while {@code action} runs. */
    private static List<ILoggingEvent> logOf(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(JdbcPolicyStore.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            action.run();
        } finally {
            logger.detachAppender(log);
        }
        return log.list;
    }

    /** Issue 12: the domain column is text; a row whose domain is no DomainName is skipped with a WARN, not a crash. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void rowWhoseDomainIsNoDomainNameShouldBeSkippedWithAWarning(String engine) {
        JdbcPolicyStore store = open(engine);
        store.save(policy("good.test", "id1", T0));
        store.save(policy("literal.test", "id1", T0));
        database.withConnection(connection -> {
            try (PreparedStatement hostile = connection.prepareStatement(
                "UPDATE mtasts_policy SET domain = '[192.0.2.1]' WHERE domain = 'literal.test'")) {
                return hostile.executeUpdate();
            }
        });
        List<ILoggingEvent> log = logOf(() ->
            assertThat(store.loadAll()).extracting(CachedPolicy::domain).containsExactly(name("good.test")));

        assertThat(log).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("'[192.0.2.1]' is not a domain name",
                "DELETE FROM mtasts_policy WHERE domain = '[192.0.2.1]'");
        });
    }

    @Test
    void embeddedStoreShouldKeepPoliciesAcrossARestart() {
        CachedPolicy policy = policy("example.test", "id1", T0);
        try (Database beforeRestart = StoreEngines.open(StoreEngines.H2, folder)) {
            JdbcPolicyStore.create(beforeRestart).save(policy);
        }

        database = Database.open(DatabaseSettings.embedded(folder.resolve("mtasts")));

        assertThat(JdbcPolicyStore.create(database).loadAll()).containsExactly(policy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void longFailureMessagesShouldBeShortenedToTheColumnSize(String engine) {
        JdbcPolicyStore store = open(engine);
        CachedPolicy fetched = policy("example.test", "id1", T0);
        store.save(fetched);
        store.save(fetched.failed(T0, "x".repeat(5000), true));

        Optional<String> stored = store.load(name("example.test")).get().lastFailure();

        assertThat(stored.get()).hasSize(JdbcPolicyStore.MAX_FAILURE_LENGTH).endsWith("...");
    }
}
