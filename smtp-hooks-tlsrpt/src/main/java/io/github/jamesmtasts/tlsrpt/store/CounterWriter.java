package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.NetworkText;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * Adds a batch of session counts in one transaction: first makes sure every policy block and failure details row
 * exists (and is marked as used on that day, for retention), then increments the counters. Rows are written in key
 * order so that two nodes adding to the same counters lock them in the same order and cannot deadlock. When the
 * database refuses a row's data, the batch is written again row by row and only the refused rows are dropped (H4).
 */
final class CounterWriter {

    private static final int MAX_CACHED = 50_000;
    private static final int MAX_CAUSES = 32;
    private static final int MAX_LOGGED = 300;
    private static final Logger LOGGER = LoggerFactory.getLogger(CounterWriter.class);

    private final Database database;
    private final ResultStoreSql sql;
    /** Latest day for which this node wrote last_seen of a policy or failure row: no need to upsert it again. */
    private final Map<String, LocalDate> ensured = new ConcurrentHashMap<>();
    private final Map<ReportPolicy, String> policyHashes = new ConcurrentHashMap<>();
    private final Map<FailureDetails, String> failureHashes = new ConcurrentHashMap<>();
    private final AtomicLong rejectedRows = new AtomicLong();
    private final FailureRowLimit rowLimit;

    CounterWriter(Database database, ResultStoreSql sql) {
        this.database = database;
        this.sql = sql;
        this.rowLimit = new FailureRowLimit(database);
    }

    /** Sessions counted under folded details because their domain had too many failure rows that day. */
    long foldedSessions() {
        return rowLimit.foldedSessions();
    }

    long rejectedRows() {
        return rejectedRows.get();
    }

    void add(LocalDate day, Map<SessionResult, Long> requested) {
        Map<SessionResult, Long> increments = rowLimit.fold(day, requested, this::rowKey);
        try {
            write(day, increments);
        } catch (StoreException batchFailure) {
            if (increments.size() <= 1 || !isRefusedRow(batchFailure)) {
                throw batchFailure;
            }
            // H4: one row the database refuses (e.g. PostgreSQL and a NUL character) must not block the others: the
            // database is up, so write the batch again row by row and drop only the rows it refuses.
            for (Map.Entry<SessionResult, Long> row : increments.entrySet()) {
                addRow(day, row);
            }
        }
    }

    private void addRow(LocalDate day, Map.Entry<SessionResult, Long> row) {
        try {
            write(day, Map.of(row.getKey(), row.getValue()));
        } catch (StoreException rowFailure) {
            if (!isRefusedRow(rowFailure)) {
                throw rowFailure;
            }
            rejectedRows.incrementAndGet();
            LOGGER.error("TLS-RPT counter row refused by the database and dropped ({} session(s) of {} on {}): {}",
                row.getValue(), NetworkText.clean(row.getKey().toString(), MAX_LOGGED),
                day, NetworkText.clean(String.valueOf(rowFailure.getMessage()), MAX_LOGGED));
        }
    }

    private void write(LocalDate day, Map<SessionResult, Long> increments) {
        Map<String, ReportPolicy> policies = new TreeMap<>();
        Map<String, FailureDetails> failures = new TreeMap<>();
        Map<CounterKey, Long> counters = new TreeMap<>();
        for (Map.Entry<SessionResult, Long> entry : increments.entrySet()) {
            SessionResult result = entry.getKey();
            long count = entry.getValue();
            if (count <= 0) {
                throw new IllegalArgumentException("session count must be positive, was " + count + " for " + result);
            }
            ReportPolicy policy = result.policy();
            if (policy.policyDomain().length() > ResultStoreSql.MAX_DOMAIN_LENGTH) {
                throw new IllegalArgumentException("policy domain longer than " + ResultStoreSql.MAX_DOMAIN_LENGTH
                    + " characters cannot be stored: " + policy.policyDomain());
            }
            String policyHash = hash(policyHashes, policy, CanonicalForm::policyHash);
            policies.put(policyHash, policy);
            String failureHash = result.failure()
                .map(details -> hash(failureHashes, details, CanonicalForm::failureHash))
                .orElse(CanonicalForm.SUCCESS);
            result.failure().ifPresent(details -> failures.put(failureHash, details));
            counters.merge(new CounterKey(policy.policyDomain(), policyHash, failureHash), count, Long::sum);
        }
        if (counters.isEmpty()) {
            return;
        }
        policies.keySet().removeIf(hash -> isEnsured(hash, day));
        failures.keySet().removeIf(hash -> isEnsured(hash, day));
        database.inTransaction(connection -> {
            upsertPolicies(connection, day, policies);
            upsertFailures(connection, day, failures);
            upsertCounters(connection, day, counters);
            return null;
        });
        if (ensured.size() > MAX_CACHED) {
            ensured.clear();
        }
        policies.keySet().forEach(hash -> ensured.merge(hash, day, CounterWriter::later));
        failures.keySet().forEach(hash -> ensured.merge(hash, day, CounterWriter::later));
    }

    private String rowKey(SessionResult result) {
        return FailureRowLimit.key(hash(policyHashes, result.policy(), CanonicalForm::policyHash),
            result.failure().map(details -> hash(failureHashes, details, CanonicalForm::failureHash))
                .orElse(CanonicalForm.SUCCESS));
    }

    /**
     * Did the database refuse the data (SQLSTATE class 22 "data exception", e.g. PostgreSQL's 22021 for NUL, or 23
     * "integrity constraint violation"), as opposed to being unreachable (the counts are then kept and retried)?
     */
    static boolean isRefusedRow(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty() && seen.size() < MAX_CAUSES) {
            Throwable t = pending.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
                Optional.ofNullable(((SQLException) t).getNextException()).ifPresent(pending::push);
            }
            Optional.ofNullable(t.getCause()).ifPresent(pending::push);
        }
        return false;
    }

    /** After a purge: rows this node thought present may be gone. */
    void forgetEnsured() {
        ensured.clear();
    }

    private boolean isEnsured(String hash, LocalDate day) {
        LocalDate seen = ensured.get(hash);
        return seen != null && !seen.isBefore(day);
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static <K> String hash(Map<K, String> cache, K value, java.util.function.Function<K, String> hasher) {
        String hash = cache.get(value);
        if (hash == null) {
            if (cache.size() > MAX_CACHED) {
                cache.clear();
            }
            hash = hasher.apply(value);
            cache.put(value, hash);
        }
        return hash;
    }

    private void upsertPolicies(Connection connection, LocalDate day, Map<String, ReportPolicy> policies) throws SQLException {
        if (policies.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.upsertPolicy)) {
            for (Map.Entry<String, ReportPolicy> entry : policies.entrySet()) {
                ReportPolicy policy = entry.getValue();
                statement.setString(1, entry.getKey());
                statement.setString(2, policy.policyType().token());
                statement.setString(3, policy.policyDomain());
                statement.setString(4, CanonicalForm.encodeList(policy.policyStrings()));
                statement.setString(5, CanonicalForm.encodeList(policy.mxHosts()));
                statement.setDate(6, Date.valueOf(day));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void upsertFailures(Connection connection, LocalDate day, Map<String, FailureDetails> failures) throws SQLException {
        if (failures.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.upsertFailure)) {
            for (Map.Entry<String, FailureDetails> entry : failures.entrySet()) {
                FailureDetails details = entry.getValue();
                statement.setString(1, entry.getKey());
                statement.setString(2, details.resultType().token());
                setOptional(statement, 3, details.sendingMtaIp());
                setOptional(statement, 4, details.receivingMxHostname());
                setOptional(statement, 5, details.receivingMxHelo());
                setOptional(statement, 6, details.receivingIp());
                setOptional(statement, 7, details.additionalInformation());
                setOptional(statement, 8, details.failureReasonCode());
                statement.setDate(9, Date.valueOf(day));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void upsertCounters(Connection connection, LocalDate day, Map<CounterKey, Long> counters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.upsertCounter)) {
            for (Map.Entry<CounterKey, Long> entry : counters.entrySet()) {
                CounterKey key = entry.getKey();
                statement.setDate(1, Date.valueOf(day));
                statement.setString(2, key.policyDomain);
                statement.setString(3, key.policyHash);
                statement.setString(4, key.failureHash);
                statement.setLong(5, entry.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    /** Primary key of a counter row (without the day), ordered like the database's index. */
    private static final class CounterKey implements Comparable<CounterKey> {
        private final String policyDomain;
        private final String policyHash;
        private final String failureHash;

        CounterKey(String policyDomain, String policyHash, String failureHash) {
            this.policyDomain = policyDomain;
            this.policyHash = policyHash;
            this.failureHash = failureHash;
        }

        @Override
        public int compareTo(CounterKey o) {
            int c = policyDomain.compareTo(o.policyDomain);
            if (c == 0) {
                c = policyHash.compareTo(o.policyHash);
            }
            return c != 0 ? c : failureHash.compareTo(o.failureHash);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CounterKey && compareTo((CounterKey) o) == 0;
        }

        @Override
        public int hashCode() {
            return (policyDomain.hashCode() * 31 + policyHash.hashCode()) * 31 + failureHash.hashCode();
        }
    }
}
