-- When figures and inboxes were last fetched (tried), so the scheduled rounds take what waited
-- longest first and a network that keeps failing is asked again only on the normal schedule,
-- never every round, and does not hold the others back.
ALTER TABLE post_targets ADD COLUMN metrics_attempted_at BIGINT;
ALTER TABLE social_accounts ADD COLUMN metrics_attempted_at BIGINT;
ALTER TABLE social_accounts ADD COLUMN inbox_synced_at BIGINT;
