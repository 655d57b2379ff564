package io.github.jamesmtasts.mtasts.cache;

import java.util.List;

/**
 * The policy cache table exactly as versions before schema migrations created it (JdbcPolicyStore.SCHEMA then): a
 * database made by them must be recognised and migrated with its rows.
 */
final class LegacyPolicySchema {

    static final List<String> SCHEMA = List.of(
        "CREATE TABLE IF NOT EXISTS mtasts_policy ("
            + " domain VARCHAR(255) NOT NULL PRIMARY KEY,"
            + " record_id VARCHAR(64) NOT NULL,"
            + " policy_text VARCHAR(65536) NOT NULL,"
            + " fetched_at BIGINT NOT NULL,"
            + " expires_at BIGINT NOT NULL,"
            + " last_checked_at BIGINT NOT NULL,"
            + " last_used_at BIGINT NOT NULL,"
            + " last_failure VARCHAR(1000),"
            + " consecutive_failures INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS mtasts_policy_expires ON mtasts_policy (expires_at)");

    /** A row as those versions wrote it. */
    static final String INSERT = "INSERT INTO mtasts_policy (domain, record_id, policy_text, fetched_at, expires_at,"
        + " last_checked_at, last_used_at, last_failure, consecutive_failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private LegacyPolicySchema() {
    }
}
