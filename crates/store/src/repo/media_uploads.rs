//! Resumable upload sessions. `received_bytes` is the confirmed offset: it moves only in the
//! same statement that checks the chunk started there, so two racing chunks cannot both land.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, UploadId, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UploadRow {
    #[sqlx(try_from = "String")]
    pub id: UploadId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub declared_mime: String,
    pub total_bytes: i64,
    pub received_bytes: i64,
    pub chunks: i64,
    pub folder_id: Option<String>,
    pub created_by: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    pub expires_at: i64,
}

macro_rules! columns {
    () => {
        "id, workspace_id, name, declared_mime, total_bytes, received_bytes, chunks, folder_id, created_by, created_at, expires_at"
    };
}

pub async fn insert(conn: &mut AnyConnection, u: &UploadRow) -> Result<()> {
    sqlx::query(concat!("INSERT INTO media_uploads (", columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"))
        .bind(u.id.to_string())
        .bind(u.workspace_id.to_string())
        .bind(&u.name)
        .bind(&u.declared_mime)
        .bind(u.total_bytes)
        .bind(u.received_bytes)
        .bind(u.chunks)
        .bind(u.folder_id.clone())
        .bind(u.created_by.clone())
        .bind(u.created_at.as_millis())
        .bind(u.expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// A session that has not expired.
pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: UploadId, now: Timestamp) -> Result<Option<UploadRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM media_uploads WHERE workspace_id = $1 AND id = $2 AND expires_at > $3"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(now.as_millis())
        .fetch_optional(conn)
        .await?)
}

/// Confirms a stored chunk: moves the offset from `offset` to `offset + len`. False when the
/// offset moved meanwhile (another request stored a chunk there first).
pub async fn advance(conn: &mut AnyConnection, workspace: WorkspaceId, id: UploadId, offset: i64, len: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE media_uploads SET received_bytes = received_bytes + $1, chunks = chunks + 1 \
         WHERE workspace_id = $2 AND id = $3 AND received_bytes = $4",
    )
    .bind(len)
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(offset)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(conn: &mut AnyConnection, workspace: WorkspaceId, id: UploadId) -> Result<()> {
    sqlx::query("DELETE FROM media_uploads WHERE workspace_id = $1 AND id = $2").bind(workspace.to_string()).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

/// Sessions past their expiry, oldest first (maintenance: every workspace).
pub async fn expired(conn: &mut AnyConnection, now: Timestamp, limit: i64) -> Result<Vec<UploadRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM media_uploads WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2"))
        .bind(now.as_millis())
        .bind(limit)
        .fetch_all(conn)
        .await?)
}
