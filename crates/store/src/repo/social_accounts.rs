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
    /// The account's id at the network; `None` for the sandbox.
    pub platform_account_id: Option<String>,
    pub instance_url: Option<String>,
    pub token_expires_at: Option<i64>,
    /// Granted scopes, space-separated.
    pub scopes: Option<String>,
    /// active / expiring / expired / revoked / error.
    pub health: String,
    pub last_error: Option<String>,
}

macro_rules! columns {
    () => {
        "id, workspace_id, network, handle, display_name, posting_slots, throttled_until, created_at, platform_account_id, instance_url, \
         token_expires_at, scopes, health, last_error"
    };
}

/// The columns of [`SocialAccountRow`], for queries built elsewhere (the queue's batch loads).
pub const COLUMNS: &str = columns!();

/// The sealed tokens of an account (vault ciphertexts), read only where a call needs them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SealedTokens {
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
}

/// What a (re)connect stores: who the account is at the network and its sealed tokens.
pub struct Connection<'a> {
    pub platform_account_id: &'a str,
    pub instance_url: Option<&'a str>,
    pub handle: &'a str,
    pub display_name: &'a str,
    pub access_token: &'a str,
    pub refresh_token: Option<&'a str>,
    pub token_expires_at: Option<Timestamp>,
    pub scopes: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, a: &SocialAccountRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_accounts (id, workspace_id, network, handle, display_name, posting_slots, created_at, updated_at, health) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 'active')",
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

/// The connected account of this workspace that is `platform_account_id` at `network`, if any
/// (a reconnect updates it instead of adding a twin).
pub async fn find_connected(conn: &mut AnyConnection, workspace: WorkspaceId, network: &str, platform_account_id: &str) -> Result<Option<SocialAccountRow>> {
    Ok(sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM social_accounts WHERE workspace_id = $1 AND network = $2 AND platform_account_id = $3 AND disconnected_at IS NULL"
    ))
    .bind(workspace.to_string())
    .bind(network)
    .bind(platform_account_id)
    .fetch_optional(conn)
    .await?)
}

/// Adds a real network's account with its sealed tokens.
pub async fn insert_connected(conn: &mut AnyConnection, id: AccountId, workspace: WorkspaceId, network: &str, c: &Connection<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_accounts (id, workspace_id, network, handle, display_name, created_at, updated_at, platform_account_id, instance_url, \
         access_token, refresh_token, token_expires_at, scopes, health, health_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12, 'active', $6)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(network)
    .bind(c.handle)
    .bind(c.display_name)
    .bind(now.as_millis())
    .bind(c.platform_account_id)
    .bind(c.instance_url)
    .bind(c.access_token)
    .bind(c.refresh_token)
    .bind(c.token_expires_at.map(|t| t.as_millis()))
    .bind(c.scopes)
    .execute(conn)
    .await?;
    Ok(())
}

/// A reconnect: new tokens and profile, health back to active.
pub async fn reconnect(conn: &mut AnyConnection, workspace: WorkspaceId, id: AccountId, c: &Connection<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE social_accounts SET handle = $1, display_name = $2, instance_url = $3, access_token = $4, refresh_token = $5, token_expires_at = $6, \
         scopes = $7, health = 'active', last_error = NULL, health_changed_at = $8, refresh_attempted_at = NULL, updated_at = $8 \
         WHERE workspace_id = $9 AND id = $10",
    )
    .bind(c.handle)
    .bind(c.display_name)
    .bind(c.instance_url)
    .bind(c.access_token)
    .bind(c.refresh_token)
    .bind(c.token_expires_at.map(|t| t.as_millis()))
    .bind(c.scopes)
    .bind(now.as_millis())
    .bind(workspace.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn sealed_tokens(conn: &mut AnyConnection, workspace: WorkspaceId, id: AccountId) -> Result<Option<SealedTokens>> {
    Ok(sqlx::query_as("SELECT access_token, refresh_token FROM social_accounts WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

/// New tokens after a refresh (a network may or may not rotate the refresh token).
pub async fn store_refreshed(conn: &mut AnyConnection, id: AccountId, access: &str, refresh: Option<&str>, expires_at: Option<Timestamp>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE social_accounts SET access_token = $1, refresh_token = COALESCE($2, refresh_token), token_expires_at = $3, \
         health = 'active', last_error = NULL, health_changed_at = CASE WHEN health = 'active' THEN health_changed_at ELSE $4 END, \
         refresh_attempted_at = $4, updated_at = $4 WHERE id = $5",
    )
    .bind(access)
    .bind(refresh)
    .bind(expires_at.map(|t| t.as_millis()))
    .bind(now.as_millis())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets the health (and the network's last error); returns whether it changed, so a change is
/// announced once and not on every failing call.
pub async fn set_health(conn: &mut AnyConnection, id: AccountId, health: &str, error: Option<&str>, now: Timestamp) -> Result<bool> {
    let changed = sqlx::query("UPDATE social_accounts SET health = $1, last_error = $2, health_changed_at = $3, updated_at = $3 WHERE id = $4 AND health <> $1")
        .bind(health)
        .bind(error)
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    if changed.rows_affected() == 0 {
        sqlx::query("UPDATE social_accounts SET last_error = $1 WHERE id = $2").bind(error).bind(id.to_string()).execute(conn).await?;
    }
    Ok(changed.rows_affected() == 1)
}

/// Accounts across all workspaces whose access token expires before `before` and that hold a
/// refresh token, not tried since `tried_before`: the refresher's work list.
pub async fn due_for_refresh(conn: &mut AnyConnection, before: Timestamp, tried_before: Timestamp, limit: i64) -> Result<Vec<SocialAccountRow>> {
    Ok(sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM social_accounts WHERE disconnected_at IS NULL AND refresh_token IS NOT NULL AND token_expires_at IS NOT NULL \
          AND token_expires_at < $1 AND health NOT IN ('revoked', 'expired') \
          AND (refresh_attempted_at IS NULL OR refresh_attempted_at < $2) ORDER BY token_expires_at LIMIT $3"
    ))
    .bind(before.as_millis())
    .bind(tried_before.as_millis())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Accounts whose token expires before `before` with no way to refresh it (Meta's long-lived
/// tokens) and that are still marked active: they become `expiring`.
pub async fn expiring_without_refresh(conn: &mut AnyConnection, before: Timestamp) -> Result<Vec<SocialAccountRow>> {
    Ok(sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM social_accounts WHERE disconnected_at IS NULL AND refresh_token IS NULL AND token_expires_at IS NOT NULL \
          AND token_expires_at < $1 AND health = 'active'"
    ))
    .bind(before.as_millis())
    .fetch_all(conn)
    .await?)
}

pub async fn mark_refresh_attempted(conn: &mut AnyConnection, id: AccountId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET refresh_attempted_at = $1 WHERE id = $2").bind(now.as_millis()).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

/// Forgets the tokens of a disconnected account.
pub async fn wipe_tokens(conn: &mut AnyConnection, workspace: WorkspaceId, id: AccountId) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET access_token = NULL, refresh_token = NULL WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Every sealed token (for re-encryption after a key rotation): (account id, access, refresh).
pub async fn all_sealed_tokens(conn: &mut AnyConnection) -> Result<Vec<(String, Option<String>, Option<String>)>> {
    Ok(sqlx::query_as("SELECT id, access_token, refresh_token FROM social_accounts WHERE access_token IS NOT NULL OR refresh_token IS NOT NULL")
        .fetch_all(conn)
        .await?)
}

pub async fn replace_sealed_tokens(conn: &mut AnyConnection, id: &str, access: Option<&str>, refresh: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET access_token = $1, refresh_token = $2 WHERE id = $3").bind(access).bind(refresh).bind(id).execute(conn).await?;
    Ok(())
}
