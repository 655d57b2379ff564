package io.github.jamesmtasts.tlsrpt.store;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.jamesmtasts.tlsrpt.model.FailureDetails;
import io.github.jamesmtasts.tlsrpt.model.SessionResult;

/**
 * Bounds the failure counter rows of one policy domain on one day (issue 9, design H7 "never one row per session"): the
 * HELO name and the reply texts in failure details are chosen by the MX, so an MX that changes them on every session
 * would otherwise add a row per session. Once the domain has {@link #MAX_FAILURE_ROWS_PER_DOMAIN} rows, sessions with
 * new details are counted under {@link FailureDetails#withoutPeerText()}: totals stay exact, only their attribution to
 * a HELO name or reply is lost.
 * <p>
 * The rows already in the database are read when a domain is first seen on a day and again every
 * {@link #RELOAD_EVERY} rows this node adds, so the limit holds across restarts, and across the nodes of a cluster up
 * to that many rows per node.
 */
final class FailureRowLimit {

    static final int MAX_FAILURE_ROWS_PER_DOMAIN = 1_000;
    /** Rows of folded details (one per policy, result type, MX name and IPs) allowed past the limit. */
    static final int MAX_OVERFLOW_ROWS_PER_DOMAIN = 100;
    /** A node re-reads a domain's rows after adding this many, to see the rows other nodes added. */
    static final int RELOAD_EVERY = 100;
    /** Row keys cached over all domains (about 100 bytes each); the cache starts again empty past it. */
    private static final int MAX_CACHED_ROWS = 200_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(FailureRowLimit.class);

    private final Database database;
    private final String selectRows;
    /** Guarded by this. */
    private final Map<DayDomain, DomainRows> known = new HashMap<>();
    private int cachedRows;
    private final AtomicLong foldedSessions = new AtomicLong();

    FailureRowLimit(Database database) {
        this.database = database;
        this.selectRows = "SELECT policy_hash, failure_hash FROM tlsrpt_counter "
            + "WHERE report_day = ? AND policy_domain = ? AND failure_hash <> ?";
    }

    /** Sessions counted under folded details since start; for {@link JdbcResultStore#foldedSessions()}. */
    long foldedSessions() {
        return foldedSessions.get();
    }

    /**
     * @param rowKey the counter row of a failure result (its policy and failure hashes)
     * @return the increments with the details of new rows past the limit folded; the same total of sessions
     */
    synchronized Map<SessionResult, Long> fold(LocalDate day, Map<SessionResult, Long> increments,
                                               Function<SessionResult, String> rowKey) {
        Map<SessionResult, Long> folded = new LinkedHashMap<>();
        for (Map.Entry<SessionResult, Long> entry : increments.entrySet()) {
            SessionResult result = entry.getKey();
            SessionResult kept = result.failure().isEmpty() ? result : admit(day, result, rowKey);
            if (!kept.equals(result)) {
                foldedSessions.addAndGet(entry.getValue());
            }
            folded.merge(kept, entry.getValue(), Long::sum);
        }
        return folded;
    }

    private SessionResult admit(LocalDate day, SessionResult result, Function<SessionResult, String> rowKey) {
        String domain = result.policy().policyDomain();
        DomainRows rows = rows(day, domain);
        String key = rowKey.apply(result);
        if (rows.keys.contains(key)) {
            return result;
        }
        if (rows.addedSinceLoad >= RELOAD_EVERY) {
            rows = load(day, domain);
            if (rows.keys.contains(key)) {
                return result;
            }
        }
        if (rows.keys.size() < MAX_FAILURE_ROWS_PER_DOMAIN) {
            return rows.add(key, result);
        }
        if (!rows.warned) {
            rows.warned = true;
            LOGGER.warn("TLS-RPT policy domain {} has {} distinct failure rows on {}: new failure details of it are "
                + "counted without HELO name and reply text (failure-reason-code {})", domain, rows.keys.size(), day,
                FailureDetails.DETAILS_LIMIT_REACHED);
        }
        SessionResult withoutText = SessionResult.failure(result.policy(), result.failure().get().withoutPeerText());
        String foldedKey = rowKey.apply(withoutText);
        if (rows.keys.contains(foldedKey)) {
            return withoutText;
        }
        if (rows.keys.size() < MAX_FAILURE_ROWS_PER_DOMAIN + MAX_OVERFLOW_ROWS_PER_DOMAIN) {
            return rows.add(foldedKey, withoutText);
        }
        // Bounded by policies times result types: always admitted, or counts would be lost.
        SessionResult typeOnly = SessionResult.failure(result.policy(), result.failure().get().resultTypeOnly());
        return rows.add(rowKey.apply(typeOnly), typeOnly);
    }

    private DomainRows rows(LocalDate day, String domain) {
        DomainRows rows = known.get(new DayDomain(day, domain));
        return rows != null ? rows : load(day, domain);
    }

    private DomainRows load(LocalDate day, String domain) {
        Set<String> keys = database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(selectRows)) {
                // More rows than the limit (an older version, a busy cluster) only tell that the domain is full.
                statement.setMaxRows(MAX_FAILURE_ROWS_PER_DOMAIN + MAX_OVERFLOW_ROWS_PER_DOMAIN);
                statement.setDate(1, Date.valueOf(day));
                statement.setString(2, domain);
                statement.setString(3, CanonicalForm.SUCCESS);
                Set<String> found = new HashSet<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.add(key(rs.getString(1), rs.getString(2)));
                    }
                }
                return found;
            }
        });
        DayDomain dayDomain = new DayDomain(day, domain);
        DomainRows previous = known.get(dayDomain);
        DomainRows rows = new DomainRows(keys);
        if (previous != null) {
            // Rows this node admitted whose write failed are not in the database yet; they stay admitted.
            rows.keys.addAll(previous.keys);
            rows.warned = previous.warned;
            cachedRows -= previous.keys.size();
        }
        if (cachedRows + rows.keys.size() > MAX_CACHED_ROWS) {
            known.clear();
            cachedRows = 0;
        }
        known.put(dayDomain, rows);
        cachedRows += rows.keys.size();
        return rows;
    }

    static String key(String policyHash, String failureHash) {
        return policyHash + '/' + failureHash;
    }

    private final class DomainRows {
        private final Set<String> keys;
        private int addedSinceLoad;
        private boolean warned;

        DomainRows(Set<String> keys) {
            this.keys = keys;
        }

        SessionResult add(String key, SessionResult result) {
            if (keys.add(key)) {
                addedSinceLoad++;
                cachedRows++;
            }
            return result;
        }
    }

    private static final class DayDomain {
        private final LocalDate day;
        private final String domain;

        DayDomain(LocalDate day, String domain) {
            this.day = day;
            this.domain = domain;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DayDomain && day.equals(((DayDomain) o).day) && domain.equals(((DayDomain) o).domain);
        }

        @Override
        public int hashCode() {
            return Objects.hash(day, domain);
        }
    }
}
