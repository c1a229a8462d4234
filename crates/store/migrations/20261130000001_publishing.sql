-- Publishing: connected accounts, posts and their per-account targets, version history, the
-- durable job queue, the publishing ledger, notifications, and the sandbox network's own store.
-- Same conventions as the foundation: UUID text ids, BIGINT UTC milliseconds, JSON as TEXT.

-- A social account connected to a workspace. Issue 6 adds the OAuth token columns; the sandbox
-- network needs none.
CREATE TABLE social_accounts (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    network       TEXT NOT NULL,
    handle        TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    -- Weekly posting slots ({"zone": ..., "slots": [...]}) used by "add to queue".
    posting_slots TEXT,
    -- A 429 from the network pauses every job of this account until then (all workers see it).
    throttled_until BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    disconnected_at BIGINT
);
CREATE INDEX social_accounts_by_workspace ON social_accounts (workspace_id, id);

CREATE TABLE posts (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    author_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    status        TEXT NOT NULL,
    -- The content as JSON (text, media ids, hashtags, mentions, link, first comment).
    content       TEXT NOT NULL,
    campaign      TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',
    notes         TEXT,
    -- When to publish: the instant (UTC) and the zone and wall time the user chose.
    scheduled_at  BIGINT,
    time_zone     TEXT,
    local_time    TEXT,
    recurrence    TEXT,             -- JSON {rrule, variations, next_index} for recurring posts
    -- Bumped by every edit: a job remembers the version it was made for and is superseded by a newer one.
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    deleted_at    BIGINT
);
CREATE INDEX posts_by_workspace ON posts (workspace_id, id);
CREATE INDEX posts_by_schedule ON posts (workspace_id, scheduled_at);

-- One row per account a post goes to, with its own outcome.
CREATE TABLE post_targets (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id          TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id       TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    network          TEXT NOT NULL,
    overrides        TEXT,          -- JSON: per-network text, media, first comment, title
    status           TEXT NOT NULL,
    error            TEXT,
    platform_post_id TEXT,
    platform_url     TEXT,
    published_at     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (post_id, account_id)
);
CREATE INDEX post_targets_by_post ON post_targets (post_id);

CREATE TABLE post_versions (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id      TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    version      BIGINT NOT NULL,
    snapshot     TEXT NOT NULL,     -- JSON of the editable fields at that version
    author_id    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (post_id, version)
);

-- The durable queue. A job is inserted in the same transaction as the state change that needs it.
-- state: queued → running → done | failed | superseded (queued again on a transient error).
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    target_id        TEXT REFERENCES post_targets (id) ON DELETE CASCADE,
    post_id          TEXT REFERENCES posts (id) ON DELETE CASCADE,
    post_version     BIGINT NOT NULL DEFAULT 0,
    account_id       TEXT,
    network          TEXT,
    state            TEXT NOT NULL,
    run_at           BIGINT NOT NULL,
    attempt          BIGINT NOT NULL DEFAULT 0,
    max_attempts     BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_expires_at BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    finished_at      BIGINT
);
-- The claim query's index: only claimable rows, in due order.
CREATE INDEX jobs_claimable ON jobs (run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_by_post ON jobs (post_id) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_account ON jobs (account_id) WHERE state = 'queued';

-- The publishing ledger: an attempt is committed before the network is called, and its outcome
-- after. outcome: pending (call in flight or its result unknown) | published | failed.
CREATE TABLE publish_attempts (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    target_id        TEXT NOT NULL REFERENCES post_targets (id) ON DELETE CASCADE,
    job_id           TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    platform_post_id TEXT,
    error            TEXT,
    started_at       BIGINT NOT NULL,
    finished_at      BIGINT
);
CREATE INDEX publish_attempts_by_target ON publish_attempts (target_id);
-- At most one published attempt per target: the database itself refuses a double publish record.
CREATE UNIQUE INDEX publish_attempts_one_success ON publish_attempts (target_id) WHERE outcome = 'published';

CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    post_id      TEXT,
    read_at      BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX notifications_by_user ON notifications (workspace_id, user_id, id);

-- The built-in sandbox network keeps what it "publishes" here, clearly separate from real
-- networks. The record key is chosen by us (like Bluesky's rkey), so a repeated publish with the
-- same key is the same post, never a second one.
CREATE TABLE sandbox_posts (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id   TEXT NOT NULL,
    record_key   TEXT NOT NULL UNIQUE,
    text         TEXT NOT NULL,
    media        TEXT NOT NULL DEFAULT '[]',
    reply_to     TEXT,
    created_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX sandbox_posts_by_workspace ON sandbox_posts (workspace_id, id);
