-- Real network connections: encrypted tokens and health on the account, the single-use OAuth
-- states of connects in progress, per-instance app registrations (Mastodon), grants waiting for
-- the user to pick which Pages to connect (Meta), and what the networks report back: metrics
-- and the inbox. Same conventions as the foundation: UUID text ids, BIGINT UTC milliseconds,
-- JSON as TEXT; secrets are vault ciphertexts (`v1:<key id>:…`), so the key id sits beside them.

-- The account's id at the network (user id, Page id, DID, URN); NULL for the sandbox.
ALTER TABLE social_accounts ADD COLUMN platform_account_id TEXT;
-- The server of networks with many (a Mastodon instance, a Bluesky PDS).
ALTER TABLE social_accounts ADD COLUMN instance_url TEXT;
ALTER TABLE social_accounts ADD COLUMN access_token TEXT;
ALTER TABLE social_accounts ADD COLUMN refresh_token TEXT;
ALTER TABLE social_accounts ADD COLUMN token_expires_at BIGINT;
ALTER TABLE social_accounts ADD COLUMN scopes TEXT;
-- active / expiring / expired / revoked / error, with the last error the network gave.
ALTER TABLE social_accounts ADD COLUMN health TEXT NOT NULL DEFAULT 'active';
ALTER TABLE social_accounts ADD COLUMN last_error TEXT;
ALTER TABLE social_accounts ADD COLUMN health_changed_at BIGINT;
-- The token refresher's bookkeeping: when it last tried, so a failing network is not hammered.
ALTER TABLE social_accounts ADD COLUMN refresh_attempted_at BIGINT;
CREATE INDEX social_accounts_by_platform_id ON social_accounts (workspace_id, network, platform_account_id);
CREATE INDEX social_accounts_by_token_expiry ON social_accounts (token_expires_at);

CREATE TABLE oauth_states (
    -- SHA-256 of the state sent to the network; the state itself is never stored.
    state_hash    TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The session that started the connect: the callback must come back to the same one.
    session_id    TEXT NOT NULL,
    network       TEXT NOT NULL,
    instance_url  TEXT,
    pkce_verifier TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
);
CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at);

-- Zenalto's app at an instance (Mastodon registers one per server).
CREATE TABLE network_clients (
    network       TEXT NOT NULL,
    instance_url  TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (network, instance_url, redirect_uri)
);

-- A grant with several accounts (Meta Pages and Instagram business accounts) waits here, with
-- each candidate's tokens encrypted, until the user picks; it expires unpicked.
CREATE TABLE pending_connections (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    network       TEXT NOT NULL,
    instance_url  TEXT,
    -- JSON [{platformAccountId, handle, displayName, kind, accessToken, refreshToken, expiresAt, scopes}]
    -- with the tokens as vault ciphertexts.
    candidates    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);

-- The latest figures of each published post (one row per target), refreshed on a schedule.
CREATE TABLE post_metrics (
    target_id     TEXT PRIMARY KEY REFERENCES post_targets (id) ON DELETE CASCADE,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id    TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    impressions   BIGINT,
    reach         BIGINT,
    likes         BIGINT,
    comments      BIGINT,
    shares        BIGINT,
    saves         BIGINT,
    clicks        BIGINT,
    video_views   BIGINT,
    fetched_at    BIGINT NOT NULL
);
CREATE INDEX post_metrics_by_workspace ON post_metrics (workspace_id, fetched_at);

-- Account figures over time: one row per fetch, so analytics can draw follower growth.
CREATE TABLE account_metrics (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id    TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    followers     BIGINT,
    following     BIGINT,
    posts         BIGINT,
    impressions   BIGINT,
    reach         BIGINT,
    fetched_at    BIGINT NOT NULL
);
CREATE INDEX account_metrics_by_account ON account_metrics (workspace_id, account_id, fetched_at);

-- The unified inbox: conversations (a post's comments, a DM thread) and their messages.
CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id    TEXT NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    -- comments / direct
    kind          TEXT NOT NULL,
    platform_thread_id TEXT NOT NULL,
    last_message_at BIGINT NOT NULL,
    unread        BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    UNIQUE (account_id, platform_thread_id)
);
CREATE INDEX conversations_by_workspace ON conversations (workspace_id, last_message_at);

CREATE TABLE messages (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    platform_id   TEXT NOT NULL,
    -- comment / reply / mention / direct_message
    kind          TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    author        TEXT NOT NULL,
    text          TEXT NOT NULL,
    in_reply_to   TEXT,
    -- Sent by us through Zenalto (a reply), or received.
    outgoing      BIGINT NOT NULL DEFAULT 0,
    sent_by       TEXT REFERENCES users (id) ON DELETE SET NULL,
    at            BIGINT NOT NULL,
    UNIQUE (conversation_id, platform_id)
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, at);

-- Where the inbox fetch of each account left off.
ALTER TABLE social_accounts ADD COLUMN inbox_cursor TEXT;
