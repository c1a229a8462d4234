-- The assistant: conversations per person and workspace with their history, and the actions it
-- proposed (confirmation cards) that run only when the same caller confirms them. Same
-- conventions as the foundation: UUID text ids, BIGINT UTC milliseconds, JSON as TEXT.

CREATE TABLE assistant_conversations (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- Who owns it, "user:<id>" (only they see it).
    owner         TEXT NOT NULL,
    title         TEXT NOT NULL,
    -- The IANA zone the person's dates and times are read in.
    time_zone     TEXT NOT NULL,
    -- What "it" and "the first one" refer to, as JSON: {"posts": ["<post id>", …]}.
    refs          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX assistant_conversations_by_owner ON assistant_conversations (workspace_id, owner, updated_at);

CREATE TABLE assistant_messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES assistant_conversations (id) ON DELETE CASCADE,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- user, assistant, tool (a call and its result) or card (a proposed action).
    role            TEXT NOT NULL,
    content         TEXT NOT NULL,
    -- JSON: the tool call and result, or the card; NULL for plain text.
    data            TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX assistant_messages_by_conversation ON assistant_messages (conversation_id, id);

CREATE TABLE assistant_actions (
    id              TEXT PRIMARY KEY,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- NULL for an action proposed over MCP.
    conversation_id TEXT REFERENCES assistant_conversations (id) ON DELETE CASCADE,
    -- Who proposed it and alone may confirm it: "user:<id>" or "api_key:<id>".
    owner           TEXT NOT NULL,
    tool            TEXT NOT NULL,
    -- The exact arguments it runs with (JSON), resolved when proposed.
    args            TEXT NOT NULL,
    summary         TEXT NOT NULL,
    -- proposed, running, done, failed, cancelled
    status          TEXT NOT NULL,
    result          TEXT,
    error           TEXT,
    expires_at      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX assistant_actions_by_workspace ON assistant_actions (workspace_id, created_at);
