-- When the inbox of each account was last fetched (tried), so the scheduled sync takes the
-- accounts longest without one first and a failing network does not hold the others back.
ALTER TABLE social_accounts ADD COLUMN inbox_synced_at BIGINT;
