//! The approval trail of posts, and rejection reasons kept per account.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, PostId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApprovalRow {
    pub id: String,
    pub post_id: String,
    pub decision: String,
    pub reason: Option<String>,
    pub reasoning: Option<String>,
    pub run_id: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub created_at: i64,
}

macro_rules! columns {
    () => {
        "id, post_id, decision, reason, reasoning, run_id, actor_type, actor_id, created_at"
    };
}

pub struct NewApproval<'a> {
    pub post_id: PostId,
    pub decision: &'a str,
    pub reason: Option<&'a str>,
    pub reasoning: Option<&'a str>,
    pub run_id: Option<&'a str>,
    pub actor_type: &'a str,
    pub actor_id: Option<&'a str>,
}

pub async fn insert(conn: &mut AnyConnection, workspace: WorkspaceId, a: &NewApproval<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO post_approvals (id, workspace_id, post_id, decision, reason, reasoning, run_id, actor_type, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(workspace.to_string())
    .bind(a.post_id.to_string())
    .bind(a.decision)
    .bind(a.reason.map(str::to_owned))
    .bind(a.reasoning.map(str::to_owned))
    .bind(a.run_id.map(str::to_owned))
    .bind(a.actor_type)
    .bind(a.actor_id.map(str::to_owned))
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The trail of one post, oldest first.
pub async fn for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId) -> Result<Vec<ApprovalRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM post_approvals WHERE workspace_id = $1 AND post_id = $2 ORDER BY created_at, id"))
        .bind(workspace.to_string())
        .bind(post.to_string())
        .fetch_all(conn)
        .await?)
}

pub async fn insert_rejection(conn: &mut AnyConnection, workspace: WorkspaceId, account: AccountId, post: PostId, reason: &str, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO account_rejections (id, workspace_id, account_id, post_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(workspace.to_string())
        .bind(account.to_string())
        .bind(post.to_string())
        .bind(reason)
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// The latest rejection reasons given for posts to an account, newest first.
pub async fn rejections_for_account(conn: &mut AnyConnection, workspace: WorkspaceId, account: AccountId, limit: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT reason FROM account_rejections WHERE workspace_id = $1 AND account_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3")
            .bind(workspace.to_string())
            .bind(account.to_string())
            .bind(limit)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(r,)| r).collect())
}

/// When the account's scheduled and awaiting-approval posts go out within `[from, to)`: the
/// times the schedule optimizer must not collide with.
pub async fn occupied_times(conn: &mut AnyConnection, workspace: WorkspaceId, account: AccountId, from: Timestamp, to: Timestamp) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.scheduled_at FROM posts p JOIN post_targets t ON t.post_id = p.id \
         WHERE p.workspace_id = $1 AND t.account_id = $2 AND p.deleted_at IS NULL \
         AND p.status IN ('scheduled', 'pending_approval', 'publishing', 'published', 'partially_published') \
         AND p.scheduled_at >= $3 AND p.scheduled_at < $4 ORDER BY p.scheduled_at",
    )
    .bind(workspace.to_string())
    .bind(account.to_string())
    .bind(from.as_millis())
    .bind(to.as_millis())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// Ids of posts awaiting approval (optionally only those to one account), by proposed time.
pub async fn pending_posts(conn: &mut AnyConnection, workspace: WorkspaceId, account: Option<AccountId>, limit: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT p.id FROM posts p WHERE p.workspace_id = $1 AND p.deleted_at IS NULL AND p.status = 'pending_approval' \
         AND ($2 = '' OR EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.account_id = $2)) \
         ORDER BY CASE WHEN p.scheduled_at IS NULL THEN 1 ELSE 0 END, p.scheduled_at, p.id LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(account.map(|a| a.to_string()).unwrap_or_default())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
