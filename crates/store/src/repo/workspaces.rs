//! Workspaces and memberships. A membership lookup is the tenant gate: no row, no access.

use sqlx::AnyConnection;
use zenalto_domain::{Role, Timestamp, UserId, WorkspaceId};

use crate::{Cursor, Page, Result};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WorkspaceRow {
    #[sqlx(try_from = "String")]
    pub id: WorkspaceId,
    pub name: String,
    pub slug: String,
    pub plan: String,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

/// A workspace as seen by one member.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MyWorkspaceRow {
    #[sqlx(flatten)]
    pub workspace: WorkspaceRow,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "i64")]
    pub joined_at: Timestamp,
}

pub async fn insert(conn: &mut AnyConnection, id: WorkspaceId, name: &str, slug: &str, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO workspaces (id, name, slug, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(id.to_string())
        .bind(name)
        .bind(slug)
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, id: WorkspaceId) -> Result<Option<WorkspaceRow>> {
    Ok(sqlx::query_as("SELECT id, name, slug, plan, created_at FROM workspaces WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

pub async fn rename(conn: &mut AnyConnection, id: WorkspaceId, name: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE workspaces SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn list_for_user(conn: &mut AnyConnection, user: UserId) -> Result<Vec<MyWorkspaceRow>> {
    Ok(sqlx::query_as(
        "SELECT w.id, w.name, w.slug, w.plan, w.created_at, m.role FROM workspaces w \
         JOIN memberships m ON m.workspace_id = w.id WHERE m.user_id = $1 ORDER BY w.id",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn add_member(conn: &mut AnyConnection, workspace: WorkspaceId, user: UserId, role: Role, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(workspace.to_string())
        .bind(user.to_string())
        .bind(role.as_str())
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}

/// The member's role, or None when the user is not a member (callers answer 404).
pub async fn role_of(conn: &mut AnyConnection, workspace: WorkspaceId, user: UserId) -> Result<Option<Role>> {
    let role: Option<(String,)> = sqlx::query_as("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2")
        .bind(workspace.to_string())
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    role.map(|(r,)| r.parse().map_err(|e: zenalto_domain::roles::UnknownRole| crate::StoreError::Corrupt(e.to_string())))
        .transpose()
}

pub async fn list_members(conn: &mut AnyConnection, workspace: WorkspaceId, cursor: &Cursor) -> Result<Page<MemberRow>> {
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at AS joined_at FROM memberships m \
         JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.id < $2 ORDER BY u.id DESC LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(cursor.bound())
    .bind(cursor.fetch_limit())
    .fetch_all(conn)
    .await?;
    Ok(Page::from_rows(rows, cursor, |m| m.user_id.to_string()))
}

pub async fn set_role(conn: &mut AnyConnection, workspace: WorkspaceId, user: UserId, role: Role) -> Result<bool> {
    let done = sqlx::query("UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3")
        .bind(role.as_str())
        .bind(workspace.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_member(conn: &mut AnyConnection, workspace: WorkspaceId, user: UserId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
        .bind(workspace.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Holds the workspace row until the transaction ends (a no-op update takes PostgreSQL's row
/// lock; SQLite has one writer anyway), so a check such as "is this the last owner?" and the change
/// it guards cannot interleave with another transaction doing the same.
pub async fn lock(conn: &mut AnyConnection, id: WorkspaceId) -> Result<()> {
    sqlx::query("UPDATE workspaces SET updated_at = updated_at WHERE id = $1").bind(id.to_string()).execute(conn).await?;
    Ok(())
}

pub async fn count_owners(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner'")
        .bind(workspace.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n)
}

/// The owners and admins of a workspace: who hears about an account that needs reconnecting.
pub async fn managers(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Vec<UserId>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT user_id FROM memberships WHERE workspace_id = $1 AND role IN ('owner', 'admin') ORDER BY user_id")
        .bind(workspace.to_string())
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(|(id,)| id.parse().map_err(|_| crate::StoreError::Corrupt(format!("user id {id}")))).collect()
}
