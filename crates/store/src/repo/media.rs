//! Media assets and their cached derivatives. Every query names its workspace.

use sqlx::AnyConnection;
use zenalto_domain::{MediaId, Timestamp, WorkspaceId};

use super::dynamic::{Bind, Dynamic, json_array_member, like_escape};
use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AssetRow {
    #[sqlx(try_from = "String")]
    pub id: MediaId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    pub folder_id: Option<String>,
    pub name: String,
    pub kind: String,
    pub mime: String,
    pub bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub thumb_key: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub duration_ms: Option<i64>,
    pub codec: Option<String>,
    pub colors: String,
    pub probe: String,
    pub alt_text: Option<String>,
    pub tags: String,
    pub uploaded_by: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    #[sqlx(try_from = "i64")]
    pub updated_at: Timestamp,
}

macro_rules! columns {
    () => {
        "id, workspace_id, folder_id, name, kind, mime, bytes, sha256, storage_key, thumb_key, width, height, duration_ms, codec, \
         colors, probe, alt_text, tags, uploaded_by, created_at, updated_at"
    };
}

pub async fn insert(conn: &mut AnyConnection, a: &AssetRow) -> Result<()> {
    sqlx::query(concat!(
        "INSERT INTO media_assets (",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
    ))
    .bind(a.id.to_string())
    .bind(a.workspace_id.to_string())
    .bind(a.folder_id.clone())
    .bind(&a.name)
    .bind(&a.kind)
    .bind(&a.mime)
    .bind(a.bytes)
    .bind(&a.sha256)
    .bind(&a.storage_key)
    .bind(a.thumb_key.clone())
    .bind(a.width)
    .bind(a.height)
    .bind(a.duration_ms)
    .bind(a.codec.clone())
    .bind(&a.colors)
    .bind(&a.probe)
    .bind(a.alt_text.clone())
    .bind(&a.tags)
    .bind(a.uploaded_by.clone())
    .bind(a.created_at.as_millis())
    .bind(a.updated_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaId) -> Result<Option<AssetRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM media_assets WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

/// The assets of `ids` that exist in the workspace (ids that are not UUIDs simply match nothing).
pub async fn get_many(conn: &mut AnyConnection, workspace: WorkspaceId, ids: &[String]) -> Result<Vec<AssetRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(concat!("SELECT ", columns!(), " FROM media_assets WHERE workspace_id = $1 AND id IN ({})"), params.join(", "));
    let mut query = sqlx::query_as::<_, AssetRow>(sqlx::AssertSqlSafe(sql)).bind(workspace.to_string());
    for id in ids {
        query = query.bind(id.clone());
    }
    Ok(query.fetch_all(conn).await?)
}

pub async fn find_by_hash(conn: &mut AnyConnection, workspace: WorkspaceId, sha256: &str) -> Result<Option<AssetRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM media_assets WHERE workspace_id = $1 AND sha256 = $2"))
        .bind(workspace.to_string())
        .bind(sha256)
        .fetch_optional(conn)
        .await?)
}

/// Bytes stored by a workspace (originals), for its plan's quota.
pub async fn total_bytes(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<i64> {
    let (total,): (Option<i64>,) = sqlx::query_as("SELECT CAST(SUM(bytes) AS BIGINT) FROM media_assets WHERE workspace_id = $1")
        .bind(workspace.to_string())
        .fetch_one(conn)
        .await?;
    Ok(total.unwrap_or(0))
}

/// Search filters; all optional and combined with AND.
#[derive(Clone, Debug, Default)]
pub struct AssetFilter {
    /// Part of the name, case-insensitive.
    pub name: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<String>,
    pub folder_id: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// A page of assets, newest first, older than the `before` id.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, filter: &AssetFilter, before: &str, limit: i64) -> Result<Vec<AssetRow>> {
    let mut q = Dynamic::new(
        concat!("SELECT ", columns!(), " FROM media_assets WHERE workspace_id = $1 AND id < $2"),
        vec![Bind::Text(workspace.to_string()), Bind::Text(before.to_owned())],
    );
    if let Some(name) = &filter.name {
        let p = q.param(Bind::Text(format!("%{}%", like_escape(&name.to_lowercase()))));
        q.push(&format!(" AND LOWER(name) LIKE {p} ESCAPE '\\'"));
    }
    if let Some(tag) = &filter.tag {
        let p = q.param(Bind::Text(json_array_member(tag)));
        q.push(&format!(" AND tags LIKE {p} ESCAPE '\\'"));
    }
    if let Some(kind) = &filter.kind {
        let p = q.param(Bind::Text(kind.clone()));
        q.push(&format!(" AND kind = {p}"));
    }
    if let Some(folder) = &filter.folder_id {
        let p = q.param(Bind::Text(folder.clone()));
        q.push(&format!(" AND folder_id = {p}"));
    }
    if let Some(from) = filter.from {
        let p = q.param(Bind::Int(from.as_millis()));
        q.push(&format!(" AND created_at >= {p}"));
    }
    if let Some(to) = filter.to {
        let p = q.param(Bind::Int(to.as_millis()));
        q.push(&format!(" AND created_at < {p}"));
    }
    let p = q.param(Bind::Int(limit));
    q.push(&format!(" ORDER BY id DESC LIMIT {p}"));
    q.fetch_all(conn).await
}

/// The editable fields of an asset.
pub struct AssetEdit<'a> {
    pub name: &'a str,
    pub alt_text: Option<&'a str>,
    pub tags: &'a str,
    pub folder_id: Option<&'a str>,
}

pub async fn update(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaId, edit: &AssetEdit<'_>, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE media_assets SET name = $1, alt_text = $2, tags = $3, folder_id = $4, updated_at = $5 WHERE workspace_id = $6 AND id = $7")
        .bind(edit.name)
        .bind(edit.alt_text.map(str::to_owned))
        .bind(edit.tags)
        .bind(edit.folder_id.map(str::to_owned))
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaId) -> Result<bool> {
    sqlx::query("DELETE FROM media_derivatives WHERE workspace_id = $1 AND asset_id = $2").bind(workspace.to_string()).bind(id.to_string()).execute(&mut *conn).await?;
    let done = sqlx::query("DELETE FROM media_assets WHERE workspace_id = $1 AND id = $2").bind(workspace.to_string()).bind(id.to_string()).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// A post that mentions an asset in its content or in a target's overrides.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UsageRow {
    pub post_id: String,
    pub status: String,
    pub scheduled_at: Option<i64>,
    /// The post's figures summed over its published targets; `None` until a network reported
    /// any (`targets_measured` = 0).
    pub impressions: Option<i64>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub clicks: Option<i64>,
    pub targets_measured: i64,
}

/// The (not deleted) posts whose content or per-target overrides name the asset. Asset ids are
/// UUIDs, so a quoted substring match on the stored JSON cannot hit anything else.
pub async fn usage(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaId) -> Result<Vec<UsageRow>> {
    let needle = format!("%\"{id}\"%");
    Ok(sqlx::query_as(
        // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both backends decode an i64.
        "SELECT p.id AS post_id, p.status, p.scheduled_at, \
         CAST(SUM(m.impressions) AS BIGINT) AS impressions, CAST(SUM(m.likes) AS BIGINT) AS likes, \
         CAST(SUM(m.comments) AS BIGINT) AS comments, CAST(SUM(m.shares) AS BIGINT) AS shares, \
         CAST(SUM(m.saves) AS BIGINT) AS saves, CAST(SUM(m.clicks) AS BIGINT) AS clicks, CAST(COUNT(m.target_id) AS BIGINT) AS targets_measured \
         FROM posts p LEFT JOIN post_targets pt ON pt.post_id = p.id \
         LEFT JOIN post_metrics m ON m.target_id = pt.id AND m.workspace_id = p.workspace_id \
         WHERE p.workspace_id = $1 AND p.deleted_at IS NULL \
         AND (p.content LIKE $2 OR EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.overrides LIKE $2)) \
         GROUP BY p.id, p.status, p.scheduled_at ORDER BY p.id DESC",
    )
    .bind(workspace.to_string())
    .bind(needle)
    .fetch_all(conn)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DerivativeRow {
    pub variant: String,
    pub storage_key: String,
    pub mime: String,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
}

pub async fn get_derivative(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaId, variant: &str) -> Result<Option<DerivativeRow>> {
    Ok(sqlx::query_as("SELECT variant, storage_key, mime, bytes, width, height FROM media_derivatives WHERE workspace_id = $1 AND asset_id = $2 AND variant = $3")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(variant)
        .fetch_optional(conn)
        .await?)
}

/// Records a derivative; a concurrent request that made the same one first wins.
pub async fn insert_derivative(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaId, d: &DerivativeRow, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_derivatives (asset_id, workspace_id, variant, storage_key, mime, bytes, width, height, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (asset_id, variant) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(&d.variant)
    .bind(&d.storage_key)
    .bind(&d.mime)
    .bind(d.bytes)
    .bind(d.width)
    .bind(d.height)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}
