-- `post_targets_by_post (post_id)` duplicates the leading column of the unique index on
-- (post_id, account_id), which serves every lookup by post as well. Each index costs an entry
-- per insert and per non-HOT update on the publishing path, so the redundant one goes.
DROP INDEX post_targets_by_post;
