-- AI: each workspace's provider chain (API keys encrypted with the vault, `v1:<key id>:…`) and
-- monthly budget, and the tokens and cost of every provider answer. Same conventions as the
-- foundation: UUID text ids, BIGINT UTC milliseconds, JSON as TEXT, costs in micro-dollars.

CREATE TABLE ai_settings (
    workspace_id  TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    -- The chain in order, as JSON: [{"kind", "baseUrl", "model", "cheapModel", "inputPrice",
    -- "outputPrice", "key"}], "key" being the vault ciphertext.
    providers     TEXT NOT NULL,
    -- No provider call once this month's spend reaches it; NULL: no budget.
    monthly_budget_micros BIGINT,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE ai_usage (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    task          TEXT NOT NULL,
    -- The provider that answered, or "cache".
    provider      TEXT NOT NULL,
    model         TEXT NOT NULL,
    input_tokens  BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cost_micros   BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX ai_usage_by_workspace ON ai_usage (workspace_id, created_at);
