package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * {@link ResultStore} on the embedded H2 database or on PostgreSQL (see {@link ResultStoreSql} for the tables).
 * Several instances, in one JVM or on several nodes, may share one database. Does not own the {@link Database}.
 */
public final class JdbcResultStore implements ResultStore {

    private final Database database;
    private final CounterWriter writer;
    private final CounterReader reader;
    private final SendClaims claims;

    private JdbcResultStore(Database database) {
        this.database = Objects.requireNonNull(database);
        ResultStoreSql sql = ResultStoreSql.of(database.dialect());
        this.writer = new CounterWriter(database, sql);
        this.reader = new CounterReader(database);
        this.claims = new SendClaims(database, sql);
    }

    /**
     * Creates or migrates the tables (versioned migrations; safe when several nodes start together on PostgreSQL,
     * and a database created before migrations keeps its rows).
     */
    public static JdbcResultStore open(Database database) {
        ResultStoreSql.MIGRATIONS.migrate(database, JdbcResultStore.class.getClassLoader());
        return new JdbcResultStore(database);
    }

    @Override
    public void add(LocalDate day, Map<SessionResult, Long> increments) {
        writer.add(day, increments);
    }

    /** Rows the database refused since start (H4: dropped one by one, each logged); a metric. */
    public long rejectedRows() {
        return writer.rejectedRows();
    }

    /**
     * Sessions counted under folded failure details ({@code details-limit-reached}) because their policy domain had
     * too many distinct failure rows that day (issue 9); their totals are exact. A metric.
     */
    public long foldedSessions() {
        return writer.foldedSessions();
    }

    @Override
    public List<String> policyDomains(LocalDate day) {
        return reader.policyDomains(day);
    }

    @Override
    public List<PolicyAggregate> aggregates(LocalDate day, String policyDomain) {
        return reader.aggregates(day, policyDomain);
    }

    @Override
    public Map<String, DaySummary> summaries(LocalDate day) {
        return reader.summaries(day);
    }

    @Override
    public Optional<SendClaim> claim(LocalDate day, String policyDomain, String rua, String nodeId, Duration lease,
                                     Instant now) {
        return claims.claim(day, policyDomain, rua, nodeId, lease, now);
    }

    @Override
    public boolean markSent(SendClaim claim, Instant now) {
        return claims.markSent(claim, now);
    }

    @Override
    public boolean markFailed(SendClaim claim, Instant nextAttempt, String error) {
        return claims.markFailed(claim, nextAttempt, error);
    }

    @Override
    public boolean giveUp(SendClaim claim, Instant now, String error) {
        return claims.giveUp(claim, now, error);
    }

    @Override
    public List<SendState> sendStates(LocalDate day) {
        return claims.sendStates(day);
    }

    @Override
    public long purgeBefore(LocalDate day) {
        long deleted = database.inTransaction(connection -> {
            long counters = delete(connection, "DELETE FROM tlsrpt_counter WHERE report_day < ?", day);
            delete(connection, "DELETE FROM tlsrpt_send WHERE report_day < ?", day);
            // A node adding counters for a day writes last_seen >= that day in the same transaction, so the rows that
            // counters of kept days point at survive.
            delete(connection, "DELETE FROM tlsrpt_policy WHERE last_seen < ?", day);
            delete(connection, "DELETE FROM tlsrpt_failure WHERE last_seen < ?", day);
            return counters;
        });
        writer.forgetEnsured();
        return deleted;
    }

    private static long delete(Connection connection, String sql, LocalDate day) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setDate(1, Date.valueOf(day));
            return statement.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcResultStore{" + database.description() + "}";
    }
}
