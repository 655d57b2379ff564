-- Version 1: the TLS-RPT schema as versions before migrations created it (same statements). RFC 8460 4.4.
-- Policy blocks (RFC 8460 4.4 policy), stored once per distinct block; last_seen drives retention.
CREATE TABLE IF NOT EXISTS tlsrpt_policy (policy_hash VARCHAR(64) NOT NULL PRIMARY KEY, policy_type VARCHAR(32) NOT NULL,
  policy_domain VARCHAR(255) NOT NULL, policy_strings VARCHAR NOT NULL, mx_hosts VARCHAR NOT NULL, last_seen DATE NOT NULL);
-- failure-details without the count (RFC 8460 4.4), stored once per distinct value.
CREATE TABLE IF NOT EXISTS tlsrpt_failure (failure_hash VARCHAR(64) NOT NULL PRIMARY KEY, result_type VARCHAR(64) NOT NULL,
  sending_mta_ip VARCHAR, receiving_mx_hostname VARCHAR, receiving_mx_helo VARCHAR, receiving_ip VARCHAR,
  additional_information VARCHAR, failure_reason_code VARCHAR, last_seen DATE NOT NULL);
-- One counter per (UTC day, policy, success or failure details): UPSERT increments, never a row per session.
CREATE TABLE IF NOT EXISTS tlsrpt_counter (report_day DATE NOT NULL, policy_domain VARCHAR(255) NOT NULL,
  policy_hash VARCHAR(64) NOT NULL, failure_hash VARCHAR(64) NOT NULL, session_count BIGINT NOT NULL,
  PRIMARY KEY (report_day, policy_domain, policy_hash, failure_hash));
-- One row per (day, policy domain, rua): the claim lease and the retry state (RFC 8460 5.5).
CREATE TABLE IF NOT EXISTS tlsrpt_send (report_day DATE NOT NULL, policy_domain VARCHAR(255) NOT NULL,
  rua_hash VARCHAR(64) NOT NULL, rua VARCHAR NOT NULL, lease_owner VARCHAR(255), lease_until BIGINT,
  attempts INT NOT NULL, first_attempt BIGINT NOT NULL, last_attempt BIGINT NOT NULL, next_attempt BIGINT,
  last_error VARCHAR, sent_at BIGINT, gave_up_at BIGINT, PRIMARY KEY (report_day, policy_domain, rua_hash));
