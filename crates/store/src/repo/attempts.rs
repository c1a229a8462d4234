//! The publishing ledger. An attempt is committed before the network is called and its outcome
//! after; an attempt still `pending` when its job is picked up again had an unknown outcome (a
//! timeout, a crash mid-call) and must be verified against the network before any retry.

use sqlx::AnyConnection;
use zenalto_domain::{AttemptId, JobId, TargetId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttemptRow {
    #[sqlx(try_from = "String")]
    pub id: AttemptId,
    #[sqlx(try_from = "String")]
    pub target_id: TargetId,
    pub idempotency_key: String,
    pub outcome: String,
    pub platform_post_id: Option<String>,
    pub error: Option<String>,
    #[sqlx(try_from = "i64")]
    pub started_at: Timestamp,
}

pub async fn begin(conn: &mut AnyConnection, workspace: WorkspaceId, target: TargetId, job: JobId, idempotency_key: &str, now: Timestamp) -> Result<AttemptId> {
    let id = AttemptId::new();
    sqlx::query(
        "INSERT INTO publish_attempts (id, workspace_id, target_id, job_id, idempotency_key, outcome, started_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(target.to_string())
    .bind(job.to_string())
    .bind(idempotency_key)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Records the outcome of an attempt. `published` is refused by a unique index if the target
/// already has a published attempt, so the ledger itself can never record a double publish.
pub async fn finish(conn: &mut AnyConnection, id: AttemptId, outcome: &str, platform_post_id: Option<&str>, error: Option<&str>, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE publish_attempts SET outcome = $1, platform_post_id = $2, error = $3, finished_at = $4 WHERE id = $5")
        .bind(outcome)
        .bind(platform_post_id.map(str::to_owned))
        .bind(error.map(str::to_owned))
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Attempts of a target whose outcome is still unknown.
pub async fn pending_for_target(conn: &mut AnyConnection, workspace: WorkspaceId, target: TargetId) -> Result<Vec<AttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT id, target_id, idempotency_key, outcome, platform_post_id, error, started_at FROM publish_attempts \
         WHERE workspace_id = $1 AND target_id = $2 AND outcome = 'pending' ORDER BY id",
    )
    .bind(workspace.to_string())
    .bind(target.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn list_for_target(conn: &mut AnyConnection, workspace: WorkspaceId, target: TargetId) -> Result<Vec<AttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT id, target_id, idempotency_key, outcome, platform_post_id, error, started_at FROM publish_attempts WHERE workspace_id = $1 AND target_id = $2 ORDER BY id",
    )
    .bind(workspace.to_string())
    .bind(target.to_string())
    .fetch_all(conn)
    .await?)
}

/// Whether any target of the post has an attempt whose outcome is still unknown.
pub async fn pending_for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: zenalto_domain::PostId) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM publish_attempts a JOIN post_targets t ON t.id = a.target_id \
         WHERE a.workspace_id = $1 AND t.post_id = $2 AND a.outcome = 'pending'",
    )
    .bind(workspace.to_string())
    .bind(post.to_string())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
