//! Folders of a workspace's media library (flat: one level, unique names).

use sqlx::AnyConnection;
use zenalto_domain::{MediaFolderId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FolderRow {
    #[sqlx(try_from = "String")]
    pub id: MediaFolderId,
    pub name: String,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

pub async fn insert(conn: &mut AnyConnection, workspace: WorkspaceId, f: &FolderRow) -> Result<()> {
    sqlx::query("INSERT INTO media_folders (id, workspace_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(f.id.to_string())
        .bind(workspace.to_string())
        .bind(&f.name)
        .bind(f.created_at.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Vec<FolderRow>> {
    Ok(sqlx::query_as("SELECT id, name, created_at FROM media_folders WHERE workspace_id = $1 ORDER BY name")
        .bind(workspace.to_string())
        .fetch_all(conn)
        .await?)
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaFolderId) -> Result<Option<FolderRow>> {
    Ok(sqlx::query_as("SELECT id, name, created_at FROM media_folders WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

/// Deletes a folder; its assets stay in the library, outside any folder.
pub async fn delete(conn: &mut AnyConnection, workspace: WorkspaceId, id: MediaFolderId) -> Result<bool> {
    sqlx::query("UPDATE media_assets SET folder_id = NULL WHERE workspace_id = $1 AND folder_id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM media_folders WHERE workspace_id = $1 AND id = $2").bind(workspace.to_string()).bind(id.to_string()).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}
