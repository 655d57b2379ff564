package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.github.jamesmtasts.tlsrpt.model.DomainName;

/**
 * Exactly-once report sending across nodes (design 6): a claim is one row per (day, policy domain, rua) holding a
 * lease. Atomicity comes from the database alone: an insert that only one node can win, else a conditional update
 * whose row count says whether this node won. Each claim increments {@code attempts}, which fences stale holders.
 */
final class SendClaims {

    private static final int MAX_ERROR_LENGTH = 2000;
    private static final String KEY = "report_day = ? AND policy_domain = ? AND rua_hash = ?";
    private static final String TAKE_OVER = "UPDATE tlsrpt_send SET lease_owner = ?, lease_until = ?, "
        + "attempts = attempts + 1, last_attempt = ? WHERE " + KEY + " AND sent_at IS NULL AND gave_up_at IS NULL "
        + "AND (lease_until IS NULL OR lease_until <= ?) AND (next_attempt IS NULL OR next_attempt <= ?)";
    private static final String HELD = " WHERE " + KEY + " AND lease_owner = ? AND attempts = ? "
        + "AND sent_at IS NULL AND gave_up_at IS NULL";
    private static final String DUPLICATE_KEY = "23505";

    private final Database database;
    private final ResultStoreSql sql;

    SendClaims(Database database, ResultStoreSql sql) {
        this.database = database;
        this.sql = sql;
    }

    Optional<SendClaim> claim(LocalDate day, String policyDomain, String rua, String nodeId, Duration lease, Instant now) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, was " + lease);
        }
        String domain = DomainName.keyOf(policyDomain);
        String ruaHash = CanonicalForm.ruaHash(rua);
        Instant leaseUntil = now.plus(lease);
        return database.inTransaction(connection -> {
            if (insertFirstClaim(connection, day, domain, ruaHash, rua, nodeId, leaseUntil, now)) {
                return Optional.of(SendClaim.of(day, domain, rua, nodeId, 1, now, leaseUntil));
            }
            int taken;
            try (PreparedStatement update = connection.prepareStatement(TAKE_OVER)) {
                update.setString(1, nodeId);
                update.setLong(2, leaseUntil.toEpochMilli());
                update.setLong(3, now.toEpochMilli());
                setKey(update, 4, day, domain, ruaHash);
                update.setLong(7, now.toEpochMilli());
                update.setLong(8, now.toEpochMilli());
                taken = update.executeUpdate();
            }
            if (taken == 0) {
                return Optional.<SendClaim>empty();
            }
            // Our update holds the row lock until commit: this reads our own attempt number.
            try (PreparedStatement select = connection.prepareStatement(
                "SELECT attempts, first_attempt FROM tlsrpt_send WHERE " + KEY)) {
                setKey(select, 1, day, domain, ruaHash);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return Optional.of(SendClaim.of(day, domain, rua, nodeId, rs.getInt(1),
                        Instant.ofEpochMilli(rs.getLong(2)), leaseUntil));
                }
            }
        });
    }

    private boolean insertFirstClaim(Connection connection, LocalDate day, String domain, String ruaHash, String rua,
                                     String nodeId, Instant leaseUntil, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql.insertClaim)) {
            setKey(insert, 1, day, domain, ruaHash);
            insert.setString(4, rua);
            insert.setString(5, nodeId);
            insert.setLong(6, leaseUntil.toEpochMilli());
            insert.setLong(7, now.toEpochMilli());
            insert.setLong(8, now.toEpochMilli());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            // H2: another node inserted the same destination concurrently; the statement failed, the transaction did not.
            if (sql.insertClaimMayThrowDuplicate && DUPLICATE_KEY.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    boolean markSent(SendClaim claim, Instant now) {
        return finish(claim, "UPDATE tlsrpt_send SET lease_until = NULL, next_attempt = NULL, sent_at = ?" + HELD,
            now.toEpochMilli(), Optional.empty());
    }

    boolean markFailed(SendClaim claim, Instant nextAttempt, String error) {
        return finish(claim, "UPDATE tlsrpt_send SET lease_until = NULL, next_attempt = ?, last_error = ?" + HELD,
            nextAttempt.toEpochMilli(), Optional.of(error));
    }

    boolean giveUp(SendClaim claim, Instant now, String error) {
        return finish(claim, "UPDATE tlsrpt_send SET lease_until = NULL, next_attempt = NULL, gave_up_at = ?, "
            + "last_error = ?" + HELD, now.toEpochMilli(), Optional.of(error));
    }

    private boolean finish(SendClaim claim, String update, long time, Optional<String> error) {
        return database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                int i = 1;
                statement.setLong(i++, time);
                if (error.isPresent()) {
                    String text = error.get();
                    statement.setString(i++, text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text);
                }
                setKey(statement, i, claim.day(), claim.policyDomain(), CanonicalForm.ruaHash(claim.rua()));
                statement.setString(i + 3, claim.nodeId());
                statement.setInt(i + 4, claim.attempt());
                return statement.executeUpdate() == 1;
            }
        });
    }

    List<SendState> sendStates(LocalDate day) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT policy_domain, rua, lease_owner, "
                + "lease_until, attempts, first_attempt, last_attempt, next_attempt, last_error, sent_at, gave_up_at "
                + "FROM tlsrpt_send WHERE report_day = ? ORDER BY policy_domain, rua")) {
                statement.setDate(1, Date.valueOf(day));
                List<SendState> states = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        states.add(state(day, rs));
                    }
                }
                return Collections.unmodifiableList(states);
            }
        });
    }

    private static SendState state(LocalDate day, ResultSet rs) throws SQLException {
        Optional<Instant> leaseUntil = instant(rs, "lease_until");
        Optional<Instant> sentAt = instant(rs, "sent_at");
        Optional<Instant> gaveUpAt = instant(rs, "gave_up_at");
        SendState.Status status = sentAt.isPresent() ? SendState.Status.SENT
            : gaveUpAt.isPresent() ? SendState.Status.GAVE_UP
            : leaseUntil.isPresent() ? SendState.Status.CLAIMED
            : SendState.Status.RETRY_WAITING;
        return SendState.builder(day, rs.getString("policy_domain"), rs.getString("rua"), status)
            .lastNode(Optional.ofNullable(rs.getString("lease_owner")))
            .attempts(rs.getInt("attempts"), Instant.ofEpochMilli(rs.getLong("first_attempt")),
                Instant.ofEpochMilli(rs.getLong("last_attempt")))
            .leaseUntil(leaseUntil)
            .nextAttempt(instant(rs, "next_attempt"))
            .lastError(Optional.ofNullable(rs.getString("last_error")))
            .finishedAt(sentAt.or(() -> gaveUpAt))
            .build();
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static void setKey(PreparedStatement statement, int first, LocalDate day, String domain, String ruaHash)
        throws SQLException {
        statement.setDate(first, Date.valueOf(day));
        statement.setString(first + 1, domain);
        statement.setString(first + 2, ruaHash);
    }
}
