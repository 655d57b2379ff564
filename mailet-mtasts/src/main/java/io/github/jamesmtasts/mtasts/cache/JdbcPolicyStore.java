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
import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.store.Database;
import io.github.jamesmtasts.tlsrpt.store.SchemaMigrations;

/**
 * {@link PolicyStore} in table {@code mtasts_policy} of the embedded H2 database or of a PostgreSQL server shared by
 * a cluster. Times are epoch milliseconds (no time-zone conversions between engines). The policy text is stored as
 * fetched and parsed again on load, so a parser fix applies to cached policies too.
 */
public final class JdbcPolicyStore implements PolicyStore {

    static final int MAX_FAILURE_LENGTH = 1000;

    private static final Logger LOGGER = LoggerFactory.getLogger(JdbcPolicyStore.class);

    /** The table: SQL migrations under {@code db/mtasts/} (version 1 holds the first schema). */
    private static final SchemaMigrations MIGRATIONS = new SchemaMigrations("mtasts", "mtasts_policy");

    private static final String COLUMNS = "domain, record_id, policy_text, fetched_at, expires_at, last_checked_at,"
        + " last_used_at, last_failure, consecutive_failures, fetch_id";

    private static final String REPLACE = "record_id = %1$s.record_id, policy_text = %1$s.policy_text,"
        + " fetched_at = %1$s.fetched_at, expires_at = %1$s.expires_at, last_checked_at = %1$s.last_checked_at,"
        + " last_used_at = GREATEST(mtasts_policy.last_used_at, %1$s.last_used_at), last_failure = %1$s.last_failure,"
        + " consecutive_failures = %1$s.consecutive_failures, fetch_id = %1$s.fetch_id, deleted = FALSE";

    // A new fetch replaces the row, whatever it holds (a tombstone included): the database orders the writes, so the
    // policy fetched last wins whatever the nodes' clocks say.
    private static final String H2_REPLACE = "MERGE INTO mtasts_policy USING (VALUES (CAST(? AS VARCHAR(255)),"
        + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(65536)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),"
        + " CAST(? AS BIGINT), CAST(? AS VARCHAR(" + MAX_FAILURE_LENGTH + ")), CAST(? AS INTEGER), CAST(? AS BIGINT)))"
        + " AS s(" + COLUMNS + ") ON mtasts_policy.domain = s.domain"
        + " WHEN MATCHED THEN UPDATE SET " + String.format(REPLACE, "s")
        + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ", deleted) VALUES (s.domain, s.record_id, s.policy_text,"
        + " s.fetched_at, s.expires_at, s.last_checked_at, s.last_used_at, s.last_failure, s.consecutive_failures,"
        + " s.fetch_id, FALSE)";

    private static final String POSTGRES_REPLACE = "INSERT INTO mtasts_policy (" + COLUMNS + ", deleted)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE) ON CONFLICT (domain) DO UPDATE SET "
        + String.format(REPLACE, "EXCLUDED");

    // A later check or failure of a fetch applies only while the row still holds that fetch: a node with a stale
    // copy never overwrites a policy fetched since, nor brings back a policy an operator deleted.
    private static final String UPDATE_SAME_FETCH = "UPDATE mtasts_policy SET last_checked_at = ?,"
        + " last_used_at = GREATEST(last_used_at, ?), last_failure = ?, consecutive_failures = ?"
        + " WHERE domain = ? AND fetch_id = ? AND deleted = FALSE";

    private final Database database;

    private JdbcPolicyStore(Database database) {
        this.database = database;
    }

    /** Creates or migrates the table. The caller owns (and closes) the database. */
    public static JdbcPolicyStore create(Database database) {
        Objects.requireNonNull(database, "database");
        MIGRATIONS.migrate(database, JdbcPolicyStore.class.getClassLoader());
        return new JdbcPolicyStore(database);
    }

    @Override
    public List<CachedPolicy> loadAll() {
        return database.withConnection(connection -> {
            List<CachedPolicy> policies = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM mtasts_policy WHERE deleted = FALSE");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    decode(rows).ifPresent(policies::add);
                }
            }
            return policies;
        });
    }

    @Override
    public Optional<CachedPolicy> load(DomainName domain) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM mtasts_policy WHERE domain = ? AND deleted = FALSE")) {
                statement.setString(1, domain.asString());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? decode(rows) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean save(CachedPolicy policy) {
        return policy.isNewFetch() ? replace(policy) : updateSameFetch(policy);
    }

    private boolean replace(CachedPolicy policy) {
        String sql = database.dialect() == Database.Dialect.POSTGRESQL ? POSTGRES_REPLACE : H2_REPLACE;
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, policy.domain().asString());
                statement.setString(2, policy.recordId());
                statement.setString(3, policy.policyText());
                statement.setLong(4, policy.fetchedAt().toEpochMilli());
                statement.setLong(5, policy.expiresAt().toEpochMilli());
                statement.setLong(6, policy.lastCheckedAt().toEpochMilli());
                statement.setLong(7, policy.lastUsedAt().toEpochMilli());
                statement.setString(8, policy.lastFailure().map(JdbcPolicyStore::shorten).orElse(null));
                statement.setInt(9, policy.consecutiveFailures());
                statement.setLong(10, policy.fetchId());
                return statement.executeUpdate() > 0;
            }
        });
    }

    private boolean updateSameFetch(CachedPolicy policy) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE_SAME_FETCH)) {
                statement.setLong(1, policy.lastCheckedAt().toEpochMilli());
                statement.setLong(2, policy.lastUsedAt().toEpochMilli());
                statement.setString(3, policy.lastFailure().map(JdbcPolicyStore::shorten).orElse(null));
                statement.setInt(4, policy.consecutiveFailures());
                statement.setString(5, policy.domain().asString());
                statement.setLong(6, policy.fetchId());
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void markUsed(DomainName domain, Instant when) {
        database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE mtasts_policy SET last_used_at = ? WHERE domain = ? AND last_used_at < ? AND deleted = FALSE")) {
                statement.setLong(1, when.toEpochMilli());
                statement.setString(2, domain.asString());
                statement.setLong(3, when.toEpochMilli());
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Leaves a tombstone rather than removing the row: every node then learns at its next check that the policy was
     * deleted, drops its in-memory copy and fetches again; only a new fetch replaces the tombstone. Tombstones go with
     * {@link #evict} like the policy they replaced.
     */
    @Override
    public boolean delete(DomainName domain) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE mtasts_policy SET deleted = TRUE WHERE domain = ? AND deleted = FALSE")) {
                statement.setString(1, domain.asString());
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean isDeleted(DomainName domain) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT deleted FROM mtasts_policy WHERE domain = ?")) {
                statement.setString(1, domain.asString());
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() && rows.getBoolean(1);
                }
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
        String stored = row.getString("domain");
        DomainName.Parsed name = DomainName.parse(stored == null ? "" : stored);
        if (name.name().isEmpty()) {
            // Text column: a row written by hand or by an older version may hold no domain name. Skipped, not fatal.
            LOGGER.warn("MTA-STS policy cache: a stored row in the {} is skipped: {}. Delete it:"
                + " DELETE FROM mtasts_policy WHERE domain = '{}'", database.description(), name.problem().get(),
                stored);
            return Optional.empty();
        }
        DomainName domain = name.name().get();
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
            Optional.ofNullable(row.getString("last_failure")), Math.max(0, failures), row.getLong("fetch_id")));
    }

    private static String shorten(String failure) {
        return failure.length() <= MAX_FAILURE_LENGTH ? failure : failure.substring(0, MAX_FAILURE_LENGTH - 3) + "...";
    }
}
