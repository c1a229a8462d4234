//! Connects in progress: single-use OAuth states, per-instance app registrations, and grants
//! waiting for the user to pick accounts.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, UserId, WorkspaceId};

use crate::Result;

pub struct NewState<'a> {
    pub state_hash: &'a str,
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub session_id: &'a str,
    pub network: &'a str,
    pub instance_url: Option<&'a str>,
    /// Sealed with the vault.
    pub pkce_verifier: &'a str,
    pub redirect_uri: &'a str,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StateRow {
    pub workspace_id: String,
    pub user_id: String,
    pub session_id: String,
    pub network: String,
    pub instance_url: Option<String>,
    pub pkce_verifier: String,
    pub redirect_uri: String,
    pub expires_at: i64,
}

pub async fn insert_state(conn: &mut AnyConnection, s: &NewState<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_states (state_hash, workspace_id, user_id, session_id, network, instance_url, pkce_verifier, redirect_uri, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(s.state_hash)
    .bind(s.workspace_id.to_string())
    .bind(s.user_id.to_string())
    .bind(s.session_id)
    .bind(s.network)
    .bind(s.instance_url)
    .bind(s.pkce_verifier)
    .bind(s.redirect_uri)
    .bind(now.as_millis())
    .bind(s.expires_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a state used and returns it — once, and only for the person, session and workspace
/// that started it: a second use, a use after expiry, or a use from anywhere else finds nothing
/// (and does not burn the state for its owner).
pub async fn take_state(conn: &mut AnyConnection, state_hash: &str, workspace: WorkspaceId, user: UserId, session_id: &str, now: Timestamp) -> Result<Option<StateRow>> {
    Ok(sqlx::query_as(
        "UPDATE oauth_states SET used_at = $1 WHERE state_hash = $2 AND workspace_id = $3 AND user_id = $4 AND session_id = $5 \
         AND used_at IS NULL AND expires_at > $1 \
         RETURNING workspace_id, user_id, session_id, network, instance_url, pkce_verifier, redirect_uri, expires_at",
    )
    .bind(now.as_millis())
    .bind(state_hash)
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(session_id)
    .fetch_optional(conn)
    .await?)
}

/// Removes states that expired or were used a day ago.
pub async fn prune_states(conn: &mut AnyConnection, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM oauth_states WHERE expires_at < $1").bind(now.plus_seconds(-86_400).as_millis()).execute(conn).await?;
    Ok(done.rows_affected())
}

/// Every sealed PKCE verifier, for re-encryption after a key rotation.
pub async fn all_sealed_verifiers(conn: &mut AnyConnection) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT state_hash, pkce_verifier FROM oauth_states WHERE used_at IS NULL").fetch_all(conn).await?)
}

pub async fn replace_sealed_verifier(conn: &mut AnyConnection, state_hash: &str, sealed: &str) -> Result<()> {
    sqlx::query("UPDATE oauth_states SET pkce_verifier = $1 WHERE state_hash = $2").bind(sealed).bind(state_hash).execute(conn).await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClientRow {
    pub client_id: String,
    /// Sealed with the vault.
    pub client_secret: Option<String>,
}

pub async fn find_client(conn: &mut AnyConnection, network: &str, instance_url: &str, redirect_uri: &str) -> Result<Option<ClientRow>> {
    Ok(sqlx::query_as("SELECT client_id, client_secret FROM network_clients WHERE network = $1 AND instance_url = $2 AND redirect_uri = $3")
        .bind(network)
        .bind(instance_url)
        .bind(redirect_uri)
        .fetch_optional(conn)
        .await?)
}

/// Keeps a registration; when two processes registered at once the first one stays.
pub async fn insert_client(conn: &mut AnyConnection, network: &str, instance_url: &str, redirect_uri: &str, client: &ClientRow, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO network_clients (network, instance_url, redirect_uri, client_id, client_secret, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (network, instance_url, redirect_uri) DO NOTHING",
    )
    .bind(network)
    .bind(instance_url)
    .bind(redirect_uri)
    .bind(&client.client_id)
    .bind(client.client_secret.as_deref())
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn all_sealed_client_secrets(conn: &mut AnyConnection) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as("SELECT network, instance_url, redirect_uri, client_secret FROM network_clients WHERE client_secret IS NOT NULL").fetch_all(conn).await?)
}

pub async fn replace_sealed_client_secret(conn: &mut AnyConnection, network: &str, instance_url: &str, redirect_uri: &str, sealed: &str) -> Result<()> {
    sqlx::query("UPDATE network_clients SET client_secret = $1 WHERE network = $2 AND instance_url = $3 AND redirect_uri = $4")
        .bind(sealed)
        .bind(network)
        .bind(instance_url)
        .bind(redirect_uri)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingRow {
    pub id: String,
    pub user_id: String,
    pub network: String,
    pub instance_url: Option<String>,
    /// JSON with sealed tokens.
    pub candidates: String,
    pub expires_at: i64,
}

pub struct NewPending<'a> {
    pub id: &'a str,
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub network: &'a str,
    pub instance_url: Option<&'a str>,
    /// JSON with sealed tokens.
    pub candidates: &'a str,
    pub expires_at: Timestamp,
}

pub async fn insert_pending(conn: &mut AnyConnection, p: &NewPending<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO pending_connections (id, workspace_id, user_id, network, instance_url, candidates, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(p.id)
    .bind(p.workspace_id.to_string())
    .bind(p.user_id.to_string())
    .bind(p.network)
    .bind(p.instance_url)
    .bind(p.candidates)
    .bind(now.as_millis())
    .bind(p.expires_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The pending grant of this workspace, removed as it is read (it is used once).
pub async fn take_pending(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str, now: Timestamp) -> Result<Option<PendingRow>> {
    Ok(sqlx::query_as(
        "DELETE FROM pending_connections WHERE workspace_id = $1 AND id = $2 AND expires_at > $3 \
         RETURNING id, user_id, network, instance_url, candidates, expires_at",
    )
    .bind(workspace.to_string())
    .bind(id)
    .bind(now.as_millis())
    .fetch_optional(conn)
    .await?)
}

pub async fn get_pending(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str, now: Timestamp) -> Result<Option<PendingRow>> {
    Ok(sqlx::query_as("SELECT id, user_id, network, instance_url, candidates, expires_at FROM pending_connections WHERE workspace_id = $1 AND id = $2 AND expires_at > $3")
        .bind(workspace.to_string())
        .bind(id)
        .bind(now.as_millis())
        .fetch_optional(conn)
        .await?)
}

pub async fn prune_pending(conn: &mut AnyConnection, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM pending_connections WHERE expires_at < $1").bind(now.as_millis()).execute(conn).await?;
    Ok(done.rows_affected())
}

pub async fn all_pending(conn: &mut AnyConnection) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT id, candidates FROM pending_connections").fetch_all(conn).await?)
}

pub async fn replace_pending_candidates(conn: &mut AnyConnection, id: &str, candidates: &str) -> Result<()> {
    sqlx::query("UPDATE pending_connections SET candidates = $1 WHERE id = $2").bind(candidates).bind(id).execute(conn).await?;
    Ok(())
}
