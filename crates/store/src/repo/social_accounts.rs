//! Social accounts connected to a workspace.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SocialAccountRow {
    #[sqlx(try_from = "String")]
    pub id: AccountId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    pub network: String,
    pub handle: String,
    pub display_name: String,
    pub posting_slots: Option<String>,
    pub throttled_until: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

macro_rules! columns {
    () => {
        "id, workspace_id, network, handle, display_name, posting_slots, throttled_until, created_at"
    };
}

pub async fn insert(conn: &mut AnyConnection, a: &SocialAccountRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_accounts (id, workspace_id, network, handle, display_name, posting_slots, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(a.id.to_string())
    .bind(a.workspace_id.to_string())
    .bind(&a.network)
    .bind(&a.handle)
    .bind(&a.display_name)
    .bind(a.posting_slots.clone())
    .bind(a.created_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Connected (not disconnected) accounts of a workspace, oldest first.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Vec<SocialAccountRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM social_accounts WHERE workspace_id = $1 AND disconnected_at IS NULL ORDER BY id"))
        .bind(workspace.to_string())
        .fetch_all(conn)
        .await?)
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: AccountId) -> Result<Option<SocialAccountRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM social_accounts WHERE workspace_id = $1 AND id = $2 AND disconnected_at IS NULL"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

pub async fn disconnect(conn: &mut AnyConnection, workspace: WorkspaceId, id: AccountId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE social_accounts SET disconnected_at = $1, updated_at = $1 WHERE workspace_id = $2 AND id = $3 AND disconnected_at IS NULL")
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_posting_slots(conn: &mut AnyConnection, workspace: WorkspaceId, id: AccountId, slots: Option<&str>, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE social_accounts SET posting_slots = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4 AND disconnected_at IS NULL")
        .bind(slots.map(str::to_owned))
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that the network said "too many requests" until `until` (shown to people; the queue
/// itself holds the account's jobs back, see `queue::defer_account`).
pub async fn throttle(conn: &mut AnyConnection, id: AccountId, until: Timestamp) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET throttled_until = $1 WHERE id = $2 AND (throttled_until IS NULL OR throttled_until < $1)")
        .bind(until.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
