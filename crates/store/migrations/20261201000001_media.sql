-- The media library (issue 5): folders, assets with their measured facts, resumable upload
-- sessions, and cached derivatives (thumbnails, per-network versions). File bytes live in the
-- media storage (data folder or S3), never in the database; rows name them by storage key.
-- Same conventions as before: UUID text ids, BIGINT UTC milliseconds, JSON as TEXT.

CREATE TABLE media_folders (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE media_assets (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    folder_id    TEXT REFERENCES media_folders (id) ON DELETE SET NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,     -- image | gif | video
    mime         TEXT NOT NULL,     -- sniffed from the bytes, never the name
    bytes        BIGINT NOT NULL,   -- of the stored file
    -- SHA-256 of the bytes as uploaded: the same file uploaded twice is one asset.
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    thumb_key    TEXT,
    width        BIGINT,
    height       BIGINT,
    duration_ms  BIGINT,
    codec        TEXT,
    colors       TEXT NOT NULL DEFAULT '[]',
    -- JSON: what probing did or could not do (orientation applied, location removed, missing tools).
    probe        TEXT NOT NULL DEFAULT '{}',
    alt_text     TEXT,
    tags         TEXT NOT NULL DEFAULT '[]',
    uploaded_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (workspace_id, sha256)
);
CREATE INDEX media_assets_by_workspace ON media_assets (workspace_id, id);

-- A resumable upload: chunks are stored as separate objects under `uploads/<id>/` and
-- `received_bytes` moves only after a chunk is safely stored, so it is the offset to resume from.
CREATE TABLE media_uploads (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    declared_mime  TEXT NOT NULL,
    total_bytes    BIGINT NOT NULL,
    received_bytes BIGINT NOT NULL DEFAULT 0,
    chunks         BIGINT NOT NULL DEFAULT 0,
    folder_id      TEXT REFERENCES media_folders (id) ON DELETE SET NULL,
    created_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX media_uploads_by_workspace ON media_uploads (workspace_id, id);

-- Cached derivatives: variant is `network:<name>` (made on demand, then reused).
CREATE TABLE media_derivatives (
    asset_id     TEXT NOT NULL REFERENCES media_assets (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    variant      TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    mime         TEXT NOT NULL,
    bytes        BIGINT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (asset_id, variant)
);
