//! Post targets: one per account a post goes to, each with its own status and outcome.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, PostId, TargetId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TargetRow {
    #[sqlx(try_from = "String")]
    pub id: TargetId,
    #[sqlx(try_from = "String")]
    pub post_id: PostId,
    #[sqlx(try_from = "String")]
    pub account_id: AccountId,
    pub network: String,
    pub overrides: Option<String>,
    pub status: String,
    pub error: Option<String>,
    pub platform_post_id: Option<String>,
    pub platform_url: Option<String>,
    pub published_at: Option<i64>,
}

macro_rules! columns {
    () => {
        "id, post_id, account_id, network, overrides, status, error, platform_post_id, platform_url, published_at"
    };
}

pub struct NewTarget<'a> {
    pub id: TargetId,
    pub account_id: AccountId,
    pub network: &'a str,
    pub overrides: Option<String>,
    pub status: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId, t: &NewTarget<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO post_targets (id, workspace_id, post_id, account_id, network, overrides, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(t.id.to_string())
    .bind(workspace.to_string())
    .bind(post.to_string())
    .bind(t.account_id.to_string())
    .bind(t.network)
    .bind(t.overrides.clone())
    .bind(t.status)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn list_for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId) -> Result<Vec<TargetRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM post_targets WHERE workspace_id = $1 AND post_id = $2 ORDER BY id"))
        .bind(workspace.to_string())
        .bind(post.to_string())
        .fetch_all(conn)
        .await?)
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: TargetId) -> Result<Option<TargetRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM post_targets WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

/// Sets the status of every target of a post that has not been published yet (a published
/// target keeps its outcome whatever happens to the post afterwards).
pub async fn set_unpublished_status(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId, status: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE post_targets SET status = $1, error = NULL, updated_at = $2 WHERE workspace_id = $3 AND post_id = $4 AND status <> 'published'")
        .bind(status)
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(post.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_published(conn: &mut AnyConnection, workspace: WorkspaceId, id: TargetId, platform_post_id: &str, url: Option<&str>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE post_targets SET status = 'published', error = NULL, platform_post_id = $1, platform_url = $2, published_at = $3, updated_at = $3 \
         WHERE workspace_id = $4 AND id = $5",
    )
        .bind(platform_post_id)
        .bind(url.map(str::to_owned))
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(conn: &mut AnyConnection, workspace: WorkspaceId, id: TargetId, status: &str, error: Option<&str>, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE post_targets SET status = $1, error = $2, updated_at = $3 WHERE workspace_id = $4 AND id = $5 AND status <> 'published'")
        .bind(status)
        .bind(error.map(str::to_owned))
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, workspace: WorkspaceId, id: TargetId) -> Result<()> {
    sqlx::query("DELETE FROM post_targets WHERE workspace_id = $1 AND id = $2").bind(workspace.to_string()).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

/// New overrides and status for a target that is kept through an edit; the old error goes.
pub async fn reset(conn: &mut AnyConnection, workspace: WorkspaceId, id: TargetId, overrides: Option<&str>, status: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE post_targets SET overrides = $1, status = $2, error = NULL, updated_at = $3 WHERE workspace_id = $4 AND id = $5")
        .bind(overrides.map(str::to_owned))
        .bind(status)
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
