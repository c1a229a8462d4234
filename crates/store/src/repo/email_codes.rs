//! Six-digit codes sent by e-mail (verify address, reset password, change password). Only a
//! keyed hash is stored; a new code for the same purpose replaces the previous one.

use sqlx::AnyConnection;
use zenalto_domain::{EmailCodeId, Timestamp, UserId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EmailCodeRow {
    #[sqlx(try_from = "String")]
    pub id: EmailCodeId,
    pub code_hash: String,
    pub attempts: i64,
    #[sqlx(try_from = "i64")]
    pub expires_at: Timestamp,
}

pub async fn replace(
    conn: &mut AnyConnection,
    user: UserId,
    purpose: &str,
    code_hash: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<EmailCodeId> {
    sqlx::query("UPDATE email_codes SET consumed_at = $1 WHERE user_id = $2 AND purpose = $3 AND consumed_at IS NULL")
        .bind(now.as_millis())
        .bind(user.to_string())
        .bind(purpose)
        .execute(&mut *conn)
        .await?;
    let id = EmailCodeId::new();
    sqlx::query(
        "INSERT INTO email_codes (id, user_id, purpose, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(purpose)
    .bind(code_hash)
    .bind(expires_at.as_millis())
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(id)
}

/// The live code for this purpose, if any (expired codes are returned too so the caller can
/// say "expired" rather than "wrong").
pub async fn current(conn: &mut AnyConnection, user: UserId, purpose: &str) -> Result<Option<EmailCodeRow>> {
    Ok(sqlx::query_as(
        "SELECT id, code_hash, attempts, expires_at FROM email_codes \
         WHERE user_id = $1 AND purpose = $2 AND consumed_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(user.to_string())
    .bind(purpose)
    .fetch_optional(conn)
    .await?)
}

pub async fn record_attempt(conn: &mut AnyConnection, id: EmailCodeId) -> Result<()> {
    sqlx::query("UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1").bind(id.to_string()).execute(conn).await?;
    Ok(())
}

/// Spends a code; false if it was already spent (a concurrent use won).
pub async fn consume(conn: &mut AnyConnection, id: EmailCodeId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE email_codes SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL")
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn prune(conn: &mut AnyConnection, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM email_codes WHERE expires_at < $1").bind(now.as_millis()).execute(conn).await?;
    Ok(done.rows_affected())
}
