//! API keys, stored as SHA-256 hashes with a short visible prefix for recognition.

use sqlx::AnyConnection;
use zenalto_domain::{ApiKeyId, Permission, Role, Timestamp, UserId, WorkspaceId};

use crate::{Cursor, Page, Result, StoreError};

#[derive(Clone, Debug)]
pub struct ApiKeyRow {
    pub id: ApiKeyId,
    pub workspace_id: WorkspaceId,
    pub owner_user_id: Option<UserId>,
    pub name: String,
    pub prefix: String,
    pub role: Role,
    pub scopes: Vec<Permission>,
    pub created_at: Timestamp,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct RawRow {
    id: String,
    workspace_id: String,
    owner_user_id: Option<String>,
    name: String,
    prefix: String,
    role: String,
    scopes: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<RawRow> for ApiKeyRow {
    type Error = StoreError;
    fn try_from(r: RawRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("api key {}: bad {what}", r.id));
        let scopes: Vec<String> = serde_json::from_str(&r.scopes).map_err(|_| corrupt("scopes"))?;
        Ok(Self {
            id: r.id.parse().map_err(|_| corrupt("id"))?,
            workspace_id: r.workspace_id.parse().map_err(|_| corrupt("workspace"))?,
            owner_user_id: r.owner_user_id.as_deref().map(str::parse).transpose().map_err(|_| corrupt("owner"))?,
            name: r.name.clone(),
            prefix: r.prefix.clone(),
            role: r.role.parse().map_err(|_| corrupt("role"))?,
            scopes: scopes.iter().map(|s| s.parse()).collect::<Result<_, _>>().map_err(|_| corrupt("scopes"))?,
            created_at: Timestamp::from_millis(r.created_at),
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

macro_rules! columns {
    () => {
        "id, workspace_id, owner_user_id, name, prefix, role, scopes, created_at, expires_at, last_used_at, revoked_at"
    };
}

pub struct NewApiKey<'a> {
    pub id: ApiKeyId,
    pub workspace_id: WorkspaceId,
    pub owner_user_id: Option<UserId>,
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub role: Role,
    pub scopes: &'a [Permission],
    pub created_by: UserId,
    pub expires_at: Option<Timestamp>,
}

pub async fn insert(conn: &mut AnyConnection, key: &NewApiKey<'_>, now: Timestamp) -> Result<()> {
    let scopes = serde_json::to_string(&key.scopes.iter().map(|p| p.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO api_keys (id, workspace_id, owner_user_id, name, prefix, key_hash, role, scopes, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(key.id.to_string())
    .bind(key.workspace_id.to_string())
    .bind(key.owner_user_id.map(|u| u.to_string()))
    .bind(key.name)
    .bind(key.prefix)
    .bind(key.key_hash)
    .bind(key.role.as_str())
    .bind(scopes)
    .bind(key.created_by.to_string())
    .bind(now.as_millis())
    .bind(key.expires_at.map(|t| t.as_millis()))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_by_hash(conn: &mut AnyConnection, hash: &str) -> Result<Option<ApiKeyRow>> {
    let raw: Option<RawRow> = sqlx::query_as(concat!("SELECT ", columns!(), " FROM api_keys WHERE key_hash = $1"))
        .bind(hash)
        .fetch_optional(conn)
        .await?;
    raw.map(ApiKeyRow::try_from).transpose()
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: ApiKeyId) -> Result<Option<ApiKeyRow>> {
    let raw: Option<RawRow> = sqlx::query_as(concat!("SELECT ", columns!(), " FROM api_keys WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    raw.map(ApiKeyRow::try_from).transpose()
}

/// Keys of a workspace, newest first. `owner` Some: that user's personal keys; None: workspace keys.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, owner: Option<UserId>, cursor: &Cursor) -> Result<Page<ApiKeyRow>> {
    let raw: Vec<RawRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_keys WHERE workspace_id = $1 AND COALESCE(owner_user_id, '') = $2 AND revoked_at IS NULL \
         AND id < $3 ORDER BY id DESC LIMIT $4"
    ))
    .bind(workspace.to_string())
    .bind(owner.map(|o| o.to_string()).unwrap_or_default())
    .bind(cursor.bound())
    .bind(cursor.fetch_limit())
    .fetch_all(conn)
    .await?;
    let rows = raw.into_iter().map(ApiKeyRow::try_from).collect::<Result<Vec<_>>>()?;
    Ok(Page::from_rows(rows, cursor, |k| k.id.to_string()))
}

pub async fn touch(conn: &mut AnyConnection, id: ApiKeyId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2").bind(now.as_millis()).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

pub async fn revoke(conn: &mut AnyConnection, workspace: WorkspaceId, id: ApiKeyId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND revoked_at IS NULL")
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
