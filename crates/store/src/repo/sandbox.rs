//! The sandbox network's own store: what it "published", so the default install shows a feed
//! without any real network. Labelled as a sandbox everywhere it surfaces.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, SandboxPostId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SandboxPostRow {
    #[sqlx(try_from = "String")]
    pub id: SandboxPostId,
    pub account_id: String,
    pub record_key: String,
    pub text: String,
    pub media: String,
    pub reply_to: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

pub struct NewSandboxPost<'a> {
    pub workspace: WorkspaceId,
    pub account: AccountId,
    pub record_key: &'a str,
    pub text: &'a str,
    pub media: &'a str,
    pub reply_to: Option<&'a str>,
}

/// Stores a post under the record key chosen by the caller. A key seen before returns the post
/// already stored under it: publishing twice with one key is one post.
pub async fn put(conn: &mut AnyConnection, p: &NewSandboxPost<'_>, now: Timestamp) -> Result<SandboxPostRow> {
    let NewSandboxPost { workspace, account, record_key, text, media, reply_to } = *p;
    sqlx::query(
        "INSERT INTO sandbox_posts (id, workspace_id, account_id, record_key, text, media, reply_to, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (record_key) DO NOTHING",
    )
    .bind(SandboxPostId::new().to_string())
    .bind(workspace.to_string())
    .bind(account.to_string())
    .bind(record_key)
    .bind(text)
    .bind(media)
    .bind(reply_to.map(str::to_owned))
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    find_by_key(conn, workspace, record_key).await?.ok_or_else(|| crate::StoreError::Corrupt("sandbox post vanished after insert".into()))
}

pub async fn find_by_key(conn: &mut AnyConnection, workspace: WorkspaceId, record_key: &str) -> Result<Option<SandboxPostRow>> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, record_key, text, media, reply_to, created_at FROM sandbox_posts WHERE workspace_id = $1 AND record_key = $2 AND deleted_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(record_key)
    .fetch_optional(conn)
    .await?)
}

pub async fn delete(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE sandbox_posts SET deleted_at = $1 WHERE workspace_id = $2 AND id = $3 AND deleted_at IS NULL")
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The sandbox feed of a workspace, newest first.
pub async fn feed(conn: &mut AnyConnection, workspace: WorkspaceId, limit: i64) -> Result<Vec<SandboxPostRow>> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, record_key, text, media, reply_to, created_at FROM sandbox_posts WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY id DESC LIMIT $2",
    )
    .bind(workspace.to_string())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

pub async fn count_by_key(conn: &mut AnyConnection, record_key: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sandbox_posts WHERE record_key = $1").bind(record_key).fetch_one(conn).await?;
    Ok(n)
}

/// The first post whose record key starts with `prefix` (the fault mode that ignores keys
/// appends a suffix per call).
pub async fn find_by_key_prefix(conn: &mut AnyConnection, workspace: WorkspaceId, prefix: &str) -> Result<Option<SandboxPostRow>> {
    let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Ok(sqlx::query_as(
        "SELECT id, account_id, record_key, text, media, reply_to, created_at FROM sandbox_posts \
         WHERE workspace_id = $1 AND record_key LIKE $2 ESCAPE '\\' AND deleted_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(workspace.to_string())
    .bind(format!("{escaped}%"))
    .fetch_optional(conn)
    .await?)
}
