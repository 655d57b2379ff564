package io.github.jamesmtasts.mtasts.cache;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.mtasts.policy.StsPolicyParseResult;
import io.github.jamesmtasts.mtasts.policy.StsPolicyParser;
import io.github.jamesmtasts.tlsrpt.store.Database;

/**
 * {@link PolicyStore} in table {@code mtasts_policy} of the embedded H2 database or of a PostgreSQL server shared by
 * a cluster. Times are epoch milliseconds (no time-zone conversions between engines). The policy text is stored as
 * fetched and parsed again on load, so a parser fix applies to cached policies too.
 */
public final class JdbcPolicyStore implements PolicyStore {

    static final int MAX_FAILURE_LENGTH = 1000;

    private static final Logger LOGGER = LoggerFactory.getLogger(JdbcPolicyStore.class);

    private static final List<String> SCHEMA = List.of(
        "CREATE TABLE IF NOT EXISTS mtasts_policy ("
            + " domain VARCHAR(255) NOT NULL PRIMARY KEY,"
            + " record_id VARCHAR(64) NOT NULL,"
            // RFC 8461 3.3: policies are at most 64 KiB, so at most 65536 characters.
            + " policy_text VARCHAR(65536) NOT NULL,"
            + " fetched_at BIGINT NOT NULL,"
            + " expires_at BIGINT NOT NULL,"
            + " last_checked_at BIGINT NOT NULL,"
            + " last_used_at BIGINT NOT NULL,"
            + " last_failure VARCHAR(" + MAX_FAILURE_LENGTH + "),"
            + " consecutive_failures INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS mtasts_policy_expires ON mtasts_policy (expires_at)");

    private static final String COLUMNS = "domain, record_id, policy_text, fetched_at, expires_at, last_checked_at,"
        + " last_used_at, last_failure, consecutive_failures";

    private static final String UPDATES = "record_id = %1$s.record_id, policy_text = %1$s.policy_text,"
        + " fetched_at = %1$s.fetched_at, expires_at = %1$s.expires_at, last_checked_at = %1$s.last_checked_at,"
        + " last_used_at = GREATEST(mtasts_policy.last_used_at, %1$s.last_used_at), last_failure = %1$s.last_failure,"
        + " consecutive_failures = %1$s.consecutive_failures";

    // A stale node never overwrites a policy fetched later: the update applies only when fetched_at does not go back.
    private static final String H2_SAVE = "MERGE INTO mtasts_policy USING (VALUES (CAST(? AS VARCHAR(255)),"
        + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(65536)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),"
        + " CAST(? AS BIGINT), CAST(? AS VARCHAR(" + MAX_FAILURE_LENGTH + ")), CAST(? AS INTEGER))) AS s(" + COLUMNS + ")"
        + " ON mtasts_policy.domain = s.domain"
        + " WHEN MATCHED AND mtasts_policy.fetched_at <= s.fetched_at THEN UPDATE SET " + String.format(UPDATES, "s")
        + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.domain, s.record_id, s.policy_text, s.fetched_at,"
        + " s.expires_at, s.last_checked_at, s.last_used_at, s.last_failure, s.consecutive_failures)";

    private static final String POSTGRES_SAVE = "INSERT INTO mtasts_policy (" + COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (domain) DO UPDATE SET " + String.format(UPDATES, "EXCLUDED")
        + " WHERE mtasts_policy.fetched_at <= EXCLUDED.fetched_at";

    private final Database database;

    private JdbcPolicyStore(Database database) {
        this.database = database;
    }

    /** Creates the table if needed. The caller owns (and closes) the database. */
    public static JdbcPolicyStore create(Database database) {
        Objects.requireNonNull(database, "database");
        database.createSchema(SCHEMA);
        return new JdbcPolicyStore(database);
    }

    @Override
    public List<CachedPolicy> loadAll() {
        return database.withConnection(connection -> {
            List<CachedPolicy> policies = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM mtasts_policy");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    decode(rows).ifPresent(policies::add);
                }
            }
            return policies;
        });
    }

    @Override
    public Optional<CachedPolicy> load(String domain) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM mtasts_policy WHERE domain = ?")) {
                statement.setString(1, domain);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? decode(rows) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean save(CachedPolicy policy) {
        String sql = database.dialect() == Database.Dialect.POSTGRESQL ? POSTGRES_SAVE : H2_SAVE;
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, policy.domain());
                statement.setString(2, policy.recordId());
                statement.setString(3, policy.policyText());
                statement.setLong(4, policy.fetchedAt().toEpochMilli());
                statement.setLong(5, policy.expiresAt().toEpochMilli());
                statement.setLong(6, policy.lastCheckedAt().toEpochMilli());
                statement.setLong(7, policy.lastUsedAt().toEpochMilli());
                statement.setString(8, policy.lastFailure().map(JdbcPolicyStore::shorten).orElse(null));
                statement.setInt(9, policy.consecutiveFailures());
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void markUsed(String domain, Instant when) {
        database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE mtasts_policy SET last_used_at = ? WHERE domain = ? AND last_used_at < ?")) {
                statement.setLong(1, when.toEpochMilli());
                statement.setString(2, domain);
                statement.setLong(3, when.toEpochMilli());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(String domain) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM mtasts_policy WHERE domain = ?")) {
                statement.setString(1, domain);
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int evict(Instant now, Instant unusedSince) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM mtasts_policy WHERE expires_at <= ? AND last_used_at < ?")) {
                statement.setLong(1, now.toEpochMilli());
                statement.setLong(2, unusedSince.toEpochMilli());
                return statement.executeUpdate();
            }
        });
    }

    private Optional<CachedPolicy> decode(ResultSet row) throws SQLException {
        String domain = row.getString("domain");
        String recordId = row.getString("record_id");
        String text = row.getString("policy_text");
        StsPolicyParseResult parsed = StsPolicyParser.parse(text);
        if (!parsed.isValid()) {
            // Never silently: a cached policy that vanishes could be a downgrade. It is fetched again on next use.
            LOGGER.error("MTA-STS policy cache: the stored policy of {} (id {}) in the {} does not parse ({}); it is"
                    + " ignored and will be fetched again from https://mta-sts.{}/.well-known/mta-sts.txt. If this"
                    + " repeats, delete the row: DELETE FROM mtasts_policy WHERE domain = '{}'",
                domain, recordId, database.description(), parsed.reason().orElse("invalid"), domain, domain);
            return Optional.empty();
        }
        int failures = row.getInt("consecutive_failures");
        return Optional.of(CachedPolicy.of(domain, recordId, parsed.policy().get(), text,
            Instant.ofEpochMilli(row.getLong("fetched_at")), Instant.ofEpochMilli(row.getLong("expires_at")),
            Instant.ofEpochMilli(row.getLong("last_checked_at")), Instant.ofEpochMilli(row.getLong("last_used_at")),
            Optional.ofNullable(row.getString("last_failure")), Math.max(0, failures)));
    }

    private static String shorten(String failure) {
        return failure.length() <= MAX_FAILURE_LENGTH ? failure : failure.substring(0, MAX_FAILURE_LENGTH - 3) + "...";
    }
}
