//! The audit log: one row per mutating action, written in the action's own transaction.

use sqlx::AnyConnection;
use zenalto_domain::{AuditEntryId, Timestamp, UserId, WorkspaceId};

use crate::{Cursor, Page, Result};

#[derive(Clone, Debug, Default)]
pub struct NewAuditEntry {
    pub workspace_id: Option<WorkspaceId>,
    pub actor_type: &'static str,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    /// JSON text describing what changed (never secrets).
    pub changes: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    #[sqlx(try_from = "String")]
    pub id: AuditEntryId,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub changes: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

/// Filters for reading the log; empty strings and None mean "any".
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub resource_type: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

pub async fn insert(conn: &mut AnyConnection, e: &NewAuditEntry, now: Timestamp) -> Result<AuditEntryId> {
    let id = AuditEntryId::new();
    sqlx::query(
        "INSERT INTO audit_log (id, workspace_id, actor_type, actor_id, actor_email, action, resource_type, resource_id, \
         changes, ip, user_agent, request_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id.to_string())
    .bind(e.workspace_id.map(|w| w.to_string()))
    .bind(e.actor_type)
    .bind(e.actor_id.clone())
    .bind(e.actor_email.clone())
    .bind(e.action.clone())
    .bind(e.resource_type)
    .bind(e.resource_id.clone())
    .bind(e.changes.clone())
    .bind(e.ip.clone())
    .bind(e.user_agent.clone())
    .bind(e.request_id.clone())
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(id)
}

macro_rules! columns {
    () => {
        "id, actor_type, actor_id, actor_email, action, resource_type, resource_id, changes, ip, user_agent, request_id, created_at"
    };
}

/// A workspace's log, newest first. Filters are bound as parameters with "match anything"
/// sentinels so the query text stays the same on both backends.
pub async fn list_for_workspace(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    filter: &AuditFilter,
    cursor: &Cursor,
) -> Result<Page<AuditRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM audit_log WHERE workspace_id = $1 AND id < $2 \
         AND ($3 = '' OR action = $3) AND ($4 = '' OR actor_id = $4) AND ($5 = '' OR resource_type = $5) \
         AND created_at >= $6 AND created_at <= $7 ORDER BY id DESC LIMIT $8");
    let rows: Vec<AuditRow> = sqlx::query_as(sql)
        .bind(workspace.to_string())
        .bind(cursor.bound())
        .bind(filter.action.clone().unwrap_or_default())
        .bind(filter.actor_id.clone().unwrap_or_default())
        .bind(filter.resource_type.clone().unwrap_or_default())
        .bind(filter.from.map_or(i64::MIN, |t| t.as_millis()))
        .bind(filter.to.map_or(i64::MAX, |t| t.as_millis()))
        .bind(cursor.fetch_limit())
        .fetch_all(conn)
        .await?;
    Ok(Page::from_rows(rows, cursor, |r| r.id.to_string()))
}

/// Account-level events of one user (no workspace), newest first.
pub async fn list_for_account(conn: &mut AnyConnection, user: UserId, cursor: &Cursor) -> Result<Page<AuditRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM audit_log WHERE workspace_id IS NULL AND actor_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3");
    let rows: Vec<AuditRow> =
        sqlx::query_as(sql).bind(user.to_string()).bind(cursor.bound()).bind(cursor.fetch_limit()).fetch_all(conn).await?;
    Ok(Page::from_rows(rows, cursor, |r| r.id.to_string()))
}
