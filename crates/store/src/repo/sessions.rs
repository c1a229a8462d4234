//! Login sessions and their rotating refresh tokens (stored as SHA-256 hashes only).

use sqlx::AnyConnection;
use zenalto_domain::{SessionId, Timestamp, UserId};

use crate::{Cursor, Page, Result};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    #[sqlx(try_from = "String")]
    pub id: SessionId,
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    #[sqlx(try_from = "i64")]
    pub last_used_at: Timestamp,
    #[sqlx(try_from = "i64")]
    pub expires_at: Timestamp,
    pub revoked_at: Option<i64>,
}

macro_rules! columns {
    () => {
        "id, user_id, user_agent, ip, created_at, last_used_at, expires_at, revoked_at"
    };
}

/// A refresh token looked up by hash, with the state of its session.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefreshTokenRow {
    #[sqlx(try_from = "String")]
    pub session_id: SessionId,
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    #[sqlx(try_from = "i64")]
    pub expires_at: Timestamp,
    pub used_at: Option<i64>,
    pub session_revoked_at: Option<i64>,
}

pub struct NewSession<'a> {
    pub id: SessionId,
    pub user_id: UserId,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub expires_at: Timestamp,
}

pub async fn insert(conn: &mut AnyConnection, s: &NewSession<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, user_agent, ip, created_at, last_used_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(s.id.to_string())
    .bind(s.user_id.to_string())
    .bind(s.user_agent)
    .bind(s.ip)
    .bind(now.as_millis())
    .bind(s.expires_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, user: UserId, id: SessionId) -> Result<Option<SessionRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM sessions WHERE id = $1 AND user_id = $2");
    Ok(sqlx::query_as(sql).bind(id.to_string()).bind(user.to_string()).fetch_optional(conn).await?)
}

/// Active (not revoked, not expired) sessions of a user, newest first.
pub async fn list_active(conn: &mut AnyConnection, user: UserId, now: Timestamp, cursor: &Cursor) -> Result<Page<SessionRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
         AND id < $3 ORDER BY id DESC LIMIT $4");
    let rows: Vec<SessionRow> = sqlx::query_as(sql)
        .bind(user.to_string())
        .bind(now.as_millis())
        .bind(cursor.bound())
        .bind(cursor.fetch_limit())
        .fetch_all(conn)
        .await?;
    Ok(Page::from_rows(rows, cursor, |s| s.id.to_string()))
}

pub async fn is_active(conn: &mut AnyConnection, id: SessionId, now: Timestamp) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2")
        .bind(id.to_string())
        .bind(now.as_millis())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

pub async fn touch(conn: &mut AnyConnection, id: SessionId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id = $2").bind(now.as_millis()).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

pub async fn revoke(conn: &mut AnyConnection, user: UserId, id: SessionId, reason: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL",
    )
    .bind(now.as_millis())
    .bind(reason)
    .bind(id.to_string())
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every session of a user except `keep` (e.g. after a password change).
pub async fn revoke_all(conn: &mut AnyConnection, user: UserId, keep: Option<SessionId>, reason: &str, now: Timestamp) -> Result<u64> {
    let keep = keep.map(|k| k.to_string()).unwrap_or_default();
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE user_id = $3 AND id <> $4 AND revoked_at IS NULL",
    )
    .bind(now.as_millis())
    .bind(reason)
    .bind(user.to_string())
    .bind(keep)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn insert_refresh_token(conn: &mut AnyConnection, session: SessionId, hash: &str, expires_at: Timestamp, now: Timestamp) -> Result<()> {
    sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash)
        .bind(session.to_string())
        .bind(now.as_millis())
        .bind(expires_at.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_refresh_token(conn: &mut AnyConnection, hash: &str) -> Result<Option<RefreshTokenRow>> {
    Ok(sqlx::query_as(
        "SELECT t.session_id, s.user_id, t.expires_at, t.used_at, s.revoked_at AS session_revoked_at \
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(conn)
    .await?)
}

/// Marks a refresh token spent. Returns false when it already was: two racing refreshes with
/// the same token cannot both succeed.
pub async fn spend_refresh_token(conn: &mut AnyConnection, hash: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now.as_millis())
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes tokens and sessions that can no longer be used.
pub async fn prune(conn: &mut AnyConnection, now: Timestamp) -> Result<u64> {
    let tokens = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at < $1").bind(now.as_millis()).execute(&mut *conn).await?;
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now.as_millis()).execute(conn).await?;
    Ok(tokens.rows_affected() + sessions.rows_affected())
}
