//! Version history of posts: a snapshot of the editable fields at every version.

use sqlx::AnyConnection;
use zenalto_domain::{PostId, PostVersionId, Timestamp, UserId, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub snapshot: String,
    pub author_id: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

pub async fn insert(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId, version: i64, snapshot: &str, author: Option<UserId>, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO post_versions (id, workspace_id, post_id, version, snapshot, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(PostVersionId::new().to_string())
        .bind(workspace.to_string())
        .bind(post.to_string())
        .bind(version)
        .bind(snapshot)
        .bind(author.map(|a| a.to_string()))
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// Every version of a post, newest first.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId) -> Result<Vec<VersionRow>> {
    Ok(sqlx::query_as("SELECT version, snapshot, author_id, created_at FROM post_versions WHERE workspace_id = $1 AND post_id = $2 ORDER BY version DESC")
        .bind(workspace.to_string())
        .bind(post.to_string())
        .fetch_all(conn)
        .await?)
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId, version: i64) -> Result<Option<VersionRow>> {
    Ok(sqlx::query_as("SELECT version, snapshot, author_id, created_at FROM post_versions WHERE workspace_id = $1 AND post_id = $2 AND version = $3")
        .bind(workspace.to_string())
        .bind(post.to_string())
        .bind(version)
        .fetch_optional(conn)
        .await?)
}
