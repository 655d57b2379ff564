-- Version 1: the MTA-STS policy cache as versions before migrations created it (same statements).
-- RFC 8461 3.3: policies are at most 64 KiB, so at most 65536 characters.
CREATE TABLE IF NOT EXISTS mtasts_policy (domain VARCHAR(255) NOT NULL PRIMARY KEY, record_id VARCHAR(64) NOT NULL,
  policy_text VARCHAR(65536) NOT NULL, fetched_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
  last_checked_at BIGINT NOT NULL, last_used_at BIGINT NOT NULL, last_failure VARCHAR(1000),
  consecutive_failures INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS mtasts_policy_expires ON mtasts_policy (expires_at);
