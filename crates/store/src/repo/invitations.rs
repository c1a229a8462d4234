//! Invitations to a workspace: an e-mailed single-use token (stored hashed) with an expiry.

use sqlx::AnyConnection;
use zenalto_domain::{InvitationId, Role, Timestamp, UserId, WorkspaceId};

use crate::{Cursor, Page, Result};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    #[sqlx(try_from = "String")]
    pub id: InvitationId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "i64")]
    pub expires_at: Timestamp,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

macro_rules! columns {
    () => {
        "id, workspace_id, email, role, expires_at, accepted_at, revoked_at, created_at"
    };
}

pub struct NewInvitation<'a> {
    pub id: InvitationId,
    pub workspace_id: WorkspaceId,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: UserId,
    pub expires_at: Timestamp,
}

pub async fn insert(conn: &mut AnyConnection, i: &NewInvitation<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i.id.to_string())
    .bind(i.workspace_id.to_string())
    .bind(i.email)
    .bind(i.role.as_str())
    .bind(i.token_hash)
    .bind(i.invited_by.to_string())
    .bind(i.expires_at.as_millis())
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Open (not accepted, not revoked) invitations of a workspace, newest first.
pub async fn list_open(conn: &mut AnyConnection, workspace: WorkspaceId, cursor: &Cursor) -> Result<Page<InvitationRow>> {
    let rows: Vec<InvitationRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL \
         AND id < $2 ORDER BY id DESC LIMIT $3"
    ))
    .bind(workspace.to_string())
    .bind(cursor.bound())
    .bind(cursor.fetch_limit())
    .fetch_all(conn)
    .await?;
    Ok(Page::from_rows(rows, cursor, |i| i.id.to_string()))
}

pub async fn find_by_token_hash(conn: &mut AnyConnection, hash: &str) -> Result<Option<InvitationRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM invitations WHERE token_hash = $1")).bind(hash).fetch_optional(conn).await?)
}

/// Marks an invitation accepted; false if it was no longer open (a concurrent accept won).
pub async fn accept(conn: &mut AnyConnection, id: InvitationId, user: UserId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET accepted_at = $1, accepted_by = $2 WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now.as_millis())
    .bind(user.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn revoke(conn: &mut AnyConnection, workspace: WorkspaceId, id: InvitationId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now.as_millis())
    .bind(workspace.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: InvitationId) -> Result<Option<InvitationRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM invitations WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}
