package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.jamesmtasts.tlsrpt.model.DomainName;
import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.PolicyAggregate;
import io.github.jamesmtasts.tlsrpt.model.PolicyType;
import io.github.jamesmtasts.tlsrpt.model.ReportPolicy;
import io.github.jamesmtasts.tlsrpt.model.ResultType;

/** Reads one day's counters back as RFC 8460 report material. */
final class CounterReader {

    private static final String AGGREGATES = "SELECT c.policy_hash, c.failure_hash, c.session_count, "
        + "p.policy_type, p.policy_strings, p.mx_hosts, f.result_type, f.sending_mta_ip, f.receiving_mx_hostname, "
        + "f.receiving_mx_helo, f.receiving_ip, f.additional_information, f.failure_reason_code "
        + "FROM tlsrpt_counter c "
        + "LEFT JOIN tlsrpt_policy p ON p.policy_hash = c.policy_hash "
        + "LEFT JOIN tlsrpt_failure f ON f.failure_hash = c.failure_hash "
        + "WHERE c.report_day = ? AND c.policy_domain = ? "
        + "ORDER BY c.policy_hash, c.session_count DESC, c.failure_hash";

    private final Database database;

    CounterReader(Database database) {
        this.database = database;
    }

    List<String> policyDomains(LocalDate day) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT policy_domain FROM tlsrpt_counter WHERE report_day = ? ORDER BY policy_domain")) {
                statement.setDate(1, Date.valueOf(day));
                List<String> domains = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        domains.add(rs.getString(1));
                    }
                }
                return Collections.unmodifiableList(domains);
            }
        });
    }

    Map<String, DaySummary> summaries(LocalDate day) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT policy_domain, "
                + "SUM(CASE WHEN failure_hash = '" + CanonicalForm.SUCCESS + "' THEN session_count ELSE 0 END), "
                + "SUM(CASE WHEN failure_hash = '" + CanonicalForm.SUCCESS + "' THEN 0 ELSE session_count END) "
                + "FROM tlsrpt_counter WHERE report_day = ? GROUP BY policy_domain ORDER BY policy_domain")) {
                statement.setDate(1, Date.valueOf(day));
                Map<String, DaySummary> summaries = new LinkedHashMap<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        summaries.put(rs.getString(1), DaySummary.of(rs.getLong(2), rs.getLong(3)));
                    }
                }
                return Collections.unmodifiableMap(summaries);
            }
        });
    }

    List<PolicyAggregate> aggregates(LocalDate day, String policyDomain) {
        String domain = DomainName.keyOf(policyDomain);
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(AGGREGATES)) {
                statement.setDate(1, Date.valueOf(day));
                statement.setString(2, domain);
                Map<String, Accumulator> byPolicy = new LinkedHashMap<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String policyHash = rs.getString("policy_hash");
                        Accumulator accumulator = byPolicy.get(policyHash);
                        if (accumulator == null) {
                            accumulator = new Accumulator(policy(rs, domain, day));
                            byPolicy.put(policyHash, accumulator);
                        }
                        long count = rs.getLong("session_count");
                        if (CanonicalForm.SUCCESS.equals(rs.getString("failure_hash"))) {
                            accumulator.successes += count;
                        } else {
                            accumulator.failures.merge(failure(rs, domain, day), count, Long::sum);
                        }
                    }
                }
                return byPolicy.values().stream()
                    .map(a -> PolicyAggregate.of(a.policy, a.successes, a.failures))
                    .collect(Collectors.toUnmodifiableList());
            }
        });
    }

    private static ReportPolicy policy(ResultSet rs, String domain, LocalDate day) throws SQLException {
        String type = rs.getString("policy_type");
        if (type == null) {
            throw inconsistent("policy " + rs.getString("policy_hash"), domain, day);
        }
        PolicyType policyType = PolicyType.fromToken(type)
            .orElseThrow(() -> inconsistent("policy type '" + type + "'", domain, day));
        return ReportPolicy.of(policyType, domain, CanonicalForm.decodeList(rs.getString("policy_strings"), "policy-string"),
            CanonicalForm.decodeList(rs.getString("mx_hosts"), "mx-host"));
    }

    private static FailureDetails failure(ResultSet rs, String domain, LocalDate day) throws SQLException {
        String token = rs.getString("result_type");
        if (token == null) {
            throw inconsistent("failure details " + rs.getString("failure_hash"), domain, day);
        }
        ResultType type = ResultType.fromToken(token)
            .orElseThrow(() -> inconsistent("result type '" + token + "'", domain, day));
        return FailureDetails.builder(type)
            .sendingMtaIp(rs.getString("sending_mta_ip"))
            .receivingMxHostname(rs.getString("receiving_mx_hostname"))
            .receivingMxHelo(rs.getString("receiving_mx_helo"))
            .receivingIp(rs.getString("receiving_ip"))
            .additionalInformation(rs.getString("additional_information"))
            .failureReasonCode(rs.getString("failure_reason_code"))
            .build();
    }

    private static StoreException inconsistent(String what, String domain, LocalDate day) {
        return new StoreException("the TLS-RPT store has counters for " + domain + " on " + day + " but their "
            + what + " is missing or unknown; the tables were changed outside the extension: restore them from a backup, "
            + "or delete that day's rows from tlsrpt_counter to skip its report");
    }

    private static final class Accumulator {
        private final ReportPolicy policy;
        private long successes;
        private final Map<FailureDetails, Long> failures = new LinkedHashMap<>();

        Accumulator(ReportPolicy policy) {
            this.policy = policy;
        }
    }
}
