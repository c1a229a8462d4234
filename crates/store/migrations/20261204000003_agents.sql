-- Agents: what each connected account is for (its profile), the approval trail of posts, the
-- workspace's learned brand voice, and the runs of the agent pipeline with every step recorded.
-- Same conventions as the foundation: UUID text ids, BIGINT UTC milliseconds, JSON as TEXT,
-- flags as BIGINT 0/1, costs in micro-dollars.

CREATE TABLE account_profiles (
    account_id       TEXT PRIMARY KEY REFERENCES social_accounts (id) ON DELETE CASCADE,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    goals            TEXT NOT NULL,
    audience         TEXT NOT NULL,
    topics           TEXT NOT NULL,     -- JSON array of strings
    current_projects TEXT NOT NULL,     -- JSON array of strings
    posts_per_week   BIGINT NOT NULL,
    tone             TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    -- 1: the agents fill next week on their own, once per week.
    autofill         BIGINT NOT NULL DEFAULT 0,
    updated_by       TEXT,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX account_profiles_by_workspace ON account_profiles (workspace_id);

-- The approval trail: every submission, approval and rejection of a post.
CREATE TABLE post_approvals (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    post_id       TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- submitted / approved / rejected
    decision      TEXT NOT NULL,
    -- Why it was rejected (rejections), or a note with the submission.
    reason        TEXT,
    -- JSON: the reasoning behind an agent's draft (submissions by the agents).
    reasoning     TEXT,
    run_id        TEXT,
    actor_type    TEXT NOT NULL,
    actor_id      TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX post_approvals_by_post ON post_approvals (workspace_id, post_id, created_at);

-- Rejection reasons kept per account, so the agents avoid what was turned down before.
CREATE TABLE account_rejections (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id    TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    post_id       TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reason        TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX account_rejections_by_account ON account_rejections (workspace_id, account_id, created_at);

-- The workspace's brand voice: style features learned from examples and its best posts.
CREATE TABLE brand_voices (
    workspace_id  TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    profile       TEXT NOT NULL,        -- JSON, zenalto_ai::local::voice::VoiceProfile
    sources       TEXT NOT NULL,        -- JSON: which texts it was learned from
    updated_by    TEXT,
    updated_at    BIGINT NOT NULL
);

-- One "fill the week" run of the agent pipeline.
CREATE TABLE agent_runs (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- manual / autofill
    trigger_kind  TEXT NOT NULL,
    -- running / succeeded / failed
    status        TEXT NOT NULL,
    input         TEXT NOT NULL,        -- JSON {accountIds, weekStart, timeZone}
    output        TEXT,                 -- JSON: the drafts made, with their reasoning
    error         TEXT,
    -- Autofill runs only: "<account id>:<week start>", so a week is filled once however many
    -- workers look.
    autofill_key  TEXT UNIQUE,
    started_by    TEXT,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX agent_runs_by_workspace ON agent_runs (workspace_id, created_at);

-- What each agent of a run did.
CREATE TABLE agent_steps (
    id            TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES agent_runs (id) ON DELETE CASCADE,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    -- research / strategy / content / review / schedule
    agent         TEXT NOT NULL,
    account_id    TEXT,
    input         TEXT NOT NULL,
    output        TEXT NOT NULL,
    -- The provider kind and model that answered, or "local".
    provider      TEXT NOT NULL,
    model         TEXT NOT NULL,
    input_tokens  BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cost_micros   BIGINT NOT NULL,
    duration_ms   BIGINT NOT NULL,
    started_at    BIGINT NOT NULL,
    finished_at   BIGINT NOT NULL
);
CREATE INDEX agent_steps_by_run ON agent_steps (run_id, seq);
