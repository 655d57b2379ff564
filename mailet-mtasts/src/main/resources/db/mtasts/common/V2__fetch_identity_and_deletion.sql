-- Version 2: which fetch a row holds (fetch_id) and operator deletions that hold on every node (deleted).
-- Rows of version 1 get fetch 0 and stay in force.
ALTER TABLE mtasts_policy ADD COLUMN fetch_id BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE mtasts_policy ADD COLUMN deleted BOOLEAN DEFAULT FALSE NOT NULL;
