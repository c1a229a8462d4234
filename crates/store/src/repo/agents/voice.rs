//! The workspace's learned brand voice, and the texts it can be learned from.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VoiceRow {
    pub profile: String,
    pub sources: String,
    pub updated_at: i64,
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Option<VoiceRow>> {
    Ok(sqlx::query_as("SELECT profile, sources, updated_at FROM brand_voices WHERE workspace_id = $1").bind(workspace.to_string()).fetch_optional(conn).await?)
}

pub async fn put(conn: &mut AnyConnection, workspace: WorkspaceId, profile: &str, sources: &str, updated_by: Option<&str>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO brand_voices (workspace_id, profile, sources, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id) DO UPDATE SET profile = $2, sources = $3, updated_by = $4, updated_at = $5",
    )
    .bind(workspace.to_string())
    .bind(profile)
    .bind(sources)
    .bind(updated_by.map(str::to_owned))
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// A post's content (JSON) and its engagement: likes + 2×comments + 3×shares + 2×saves + clicks
/// summed over its targets' latest figures.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RankedPost {
    pub content: String,
    pub engagement: i64,
}

/// The posts with the most engagement reported by the networks (only posts with figures),
/// optionally only those published to one account.
pub async fn best_by_engagement(conn: &mut AnyConnection, workspace: WorkspaceId, account: Option<AccountId>, limit: i64) -> Result<Vec<RankedPost>> {
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both backends decode an i64.
    Ok(sqlx::query_as(
        "SELECT p.content, CAST(SUM(COALESCE(m.likes, 0) + 2 * COALESCE(m.comments, 0) + 3 * COALESCE(m.shares, 0) \
         + 2 * COALESCE(m.saves, 0) + COALESCE(m.clicks, 0)) AS BIGINT) AS engagement \
         FROM posts p JOIN post_targets t ON t.post_id = p.id JOIN post_metrics m ON m.target_id = t.id \
         WHERE p.workspace_id = $1 AND p.deleted_at IS NULL AND ($2 = '' OR t.account_id = $2) \
         GROUP BY p.id, p.content ORDER BY engagement DESC, p.id DESC LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(account.map(|a| a.to_string()).unwrap_or_default())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

macro_rules! latest_tail {
    () => {
        "AND ($2 = '' OR EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.account_id = $2)) ORDER BY p.updated_at DESC, p.id DESC LIMIT $3"
    };
}

/// The latest posts, newest first, optionally only those to one account: published ones
/// (`published_only`), or any not cancelled (drafts included).
pub async fn latest(conn: &mut AnyConnection, workspace: WorkspaceId, account: Option<AccountId>, published_only: bool, limit: i64) -> Result<Vec<String>> {
    let sql = if published_only {
        concat!(
            "SELECT p.content FROM posts p WHERE p.workspace_id = $1 AND p.deleted_at IS NULL AND p.status IN ('published', 'partially_published') ",
            latest_tail!()
        )
    } else {
        concat!(
            "SELECT p.content FROM posts p WHERE p.workspace_id = $1 AND p.deleted_at IS NULL ",
            "AND p.status IN ('draft', 'pending_approval', 'scheduled', 'published', 'partially_published') ",
            latest_tail!()
        )
    };
    let rows: Vec<(String,)> =
        sqlx::query_as(sql).bind(workspace.to_string()).bind(account.map(|a| a.to_string()).unwrap_or_default()).bind(limit).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}
