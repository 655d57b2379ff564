package io.github.jamesmtasts.tlsrpt.store;

/**
 * The SQL of {@link JdbcResultStore}, per dialect. Only the upserts differ: PostgreSQL's
 * {@code INSERT ... ON CONFLICT} and H2's {@code MERGE INTO ... USING}. Instants are epoch milliseconds
 * ({@code BIGINT}) so that no driver or server time zone can shift them.
 */
final class ResultStoreSql {

    static final int MAX_DOMAIN_LENGTH = ResultStore.MAX_DOMAIN_LENGTH;

    /** The tables: SQL migrations under {@code db/tlsrpt/} (version 1 holds the first schema). */
    static final SchemaMigrations MIGRATIONS = new SchemaMigrations("tlsrpt", "tlsrpt_counter");

    final String upsertPolicy;
    final String upsertFailure;
    final String upsertCounter;
    /** Inserts a first claim; updates 0 rows when the destination already has a row. */
    final String insertClaim;
    final boolean insertClaimMayThrowDuplicate;

    private ResultStoreSql(String upsertPolicy, String upsertFailure, String upsertCounter, String insertClaim,
                           boolean insertClaimMayThrowDuplicate) {
        this.upsertPolicy = upsertPolicy;
        this.upsertFailure = upsertFailure;
        this.upsertCounter = upsertCounter;
        this.insertClaim = insertClaim;
        this.insertClaimMayThrowDuplicate = insertClaimMayThrowDuplicate;
    }

    static ResultStoreSql of(Database.Dialect dialect) {
        return dialect == Database.Dialect.POSTGRESQL ? postgresql() : h2();
    }

    private static final String POLICY_COLUMNS = "policy_hash, policy_type, policy_domain, policy_strings, mx_hosts, last_seen";
    private static final String FAILURE_COLUMNS = "failure_hash, result_type, sending_mta_ip, receiving_mx_hostname, "
        + "receiving_mx_helo, receiving_ip, additional_information, failure_reason_code, last_seen";
    private static final String COUNTER_COLUMNS = "report_day, policy_domain, policy_hash, failure_hash, session_count";
    private static final String CLAIM_COLUMNS = "report_day, policy_domain, rua_hash, rua, lease_owner, lease_until, "
        + "attempts, first_attempt, last_attempt";

    private static ResultStoreSql postgresql() {
        return new ResultStoreSql(
            "INSERT INTO tlsrpt_policy (" + POLICY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (policy_hash) DO UPDATE SET last_seen = excluded.last_seen "
                + "WHERE tlsrpt_policy.last_seen < excluded.last_seen",
            "INSERT INTO tlsrpt_failure (" + FAILURE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (failure_hash) DO UPDATE SET last_seen = excluded.last_seen "
                + "WHERE tlsrpt_failure.last_seen < excluded.last_seen",
            "INSERT INTO tlsrpt_counter (" + COUNTER_COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (report_day, policy_domain, policy_hash, failure_hash) "
                + "DO UPDATE SET session_count = tlsrpt_counter.session_count + excluded.session_count",
            "INSERT INTO tlsrpt_send (" + CLAIM_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
            false);
    }

    private static ResultStoreSql h2() {
        return new ResultStoreSql(
            "MERGE INTO tlsrpt_policy t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(32)), "
                + "CAST(? AS VARCHAR(" + MAX_DOMAIN_LENGTH + ")), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS DATE))) "
                + "s(" + POLICY_COLUMNS + ") ON t.policy_hash = s.policy_hash "
                + "WHEN MATCHED AND t.last_seen < s.last_seen THEN UPDATE SET last_seen = s.last_seen "
                + "WHEN NOT MATCHED THEN INSERT (" + POLICY_COLUMNS + ") VALUES (" + prefixed("s.", POLICY_COLUMNS) + ")",
            "MERGE INTO tlsrpt_failure t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), "
                + "CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                + "CAST(? AS VARCHAR), CAST(? AS DATE))) "
                + "s(" + FAILURE_COLUMNS + ") ON t.failure_hash = s.failure_hash "
                + "WHEN MATCHED AND t.last_seen < s.last_seen THEN UPDATE SET last_seen = s.last_seen "
                + "WHEN NOT MATCHED THEN INSERT (" + FAILURE_COLUMNS + ") VALUES (" + prefixed("s.", FAILURE_COLUMNS) + ")",
            "MERGE INTO tlsrpt_counter t USING (VALUES (CAST(? AS DATE), CAST(? AS VARCHAR(" + MAX_DOMAIN_LENGTH + ")), "
                + "CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) s(" + COUNTER_COLUMNS + ") "
                + "ON t.report_day = s.report_day AND t.policy_domain = s.policy_domain "
                + "AND t.policy_hash = s.policy_hash AND t.failure_hash = s.failure_hash "
                + "WHEN MATCHED THEN UPDATE SET session_count = t.session_count + s.session_count "
                + "WHEN NOT MATCHED THEN INSERT (" + COUNTER_COLUMNS + ") VALUES (" + prefixed("s.", COUNTER_COLUMNS) + ")",
            "MERGE INTO tlsrpt_send t USING (VALUES (CAST(? AS DATE), CAST(? AS VARCHAR(" + MAX_DOMAIN_LENGTH + ")), "
                + "CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR), CAST(? AS VARCHAR(255)), CAST(? AS BIGINT), 1, "
                + "CAST(? AS BIGINT), CAST(? AS BIGINT))) s(" + CLAIM_COLUMNS + ") "
                + "ON t.report_day = s.report_day AND t.policy_domain = s.policy_domain AND t.rua_hash = s.rua_hash "
                + "WHEN NOT MATCHED THEN INSERT (" + CLAIM_COLUMNS + ") VALUES (" + prefixed("s.", CLAIM_COLUMNS) + ")",
            // Two H2 sessions inserting the same new key: the second fails with a duplicate key once the first commits.
            true);
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + String.join(", " + prefix, columns.split(", "));
    }
}
