package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.recorder.SessionResult;

/**
 * Adds a batch of session counts in one transaction: first makes sure every policy block and failure details row
 * exists (and is marked as used on that day, for retention), then increments the counters. Rows are written in key
 * order so that two nodes adding to the same counters lock them in the same order and cannot deadlock.
 */
final class CounterWriter {

    private static final int MAX_CACHED = 50_000;

    private final Database database;
    private final ResultStoreSql sql;
    /** Latest day for which this node wrote last_seen of a policy or failure row: no need to upsert it again. */
    private final Map<String, LocalDate> ensured = new ConcurrentHashMap<>();
    private final Map<ReportPolicy, String> policyHashes = new ConcurrentHashMap<>();
    private final Map<FailureDetails, String> failureHashes = new ConcurrentHashMap<>();

    CounterWriter(Database database, ResultStoreSql sql) {
        this.database = database;
        this.sql = sql;
    }

    void add(LocalDate day, Map<SessionResult, Long> increments) {
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
