-- AI content intelligence: each workspace's trained models (one row per kind, replaced on
-- retraining) and its own prompt templates. Same conventions as the foundation: UUID text ids,
-- BIGINT UTC milliseconds, JSON as TEXT.

CREATE TABLE ai_models (
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- "performance": ridge regression of log(1 + engagement).
    kind          TEXT NOT NULL,
    trained_at    BIGINT NOT NULL,
    -- Published posts with figures it was trained on.
    samples       BIGINT NOT NULL,
    -- Cross-validation report (JSON): folds, MAE, R², rank correlation, against the baseline.
    metrics       TEXT NOT NULL,
    -- The model itself (JSON): feature names, standardisation, weights.
    parameters    TEXT NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);

CREATE TABLE ai_templates (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    category      TEXT NOT NULL,
    instructions  TEXT NOT NULL,
    body          TEXT NOT NULL,
    -- [{"name", "description", "required"}]
    variables     TEXT NOT NULL,
    created_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX ai_templates_by_workspace ON ai_templates (workspace_id, name);
