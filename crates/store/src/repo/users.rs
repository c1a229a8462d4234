//! Users are global (one account, many workspaces); workspace scoping applies through
//! memberships, so these functions are the only unscoped queries and never return another
//! user's data to a caller by workspace id.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, UserId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    #[sqlx(try_from = "String")]
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub email_verified_at: Option<i64>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<i64>,
    pub failed_logins: i64,
    pub lockouts: i64,
    pub locked_until: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

macro_rules! columns {
    () => {
        "id, email, name, password_hash, email_verified_at, totp_secret, totp_enabled_at, \
     failed_logins, lockouts, locked_until, created_at"
    };
}

pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub email_verified_at: Option<Timestamp>,
}

pub async fn insert(conn: &mut AnyConnection, user: &NewUser<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(user.id.to_string())
    .bind(user.email)
    .bind(user.name)
    .bind(user.password_hash)
    .bind(user.email_verified_at.map(|t| t.as_millis()))
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, id: UserId) -> Result<Option<UserRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE id = $1");
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(conn).await?)
}

pub async fn find_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<UserRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE email = $1");
    Ok(sqlx::query_as(sql).bind(email).fetch_optional(conn).await?)
}

pub async fn mark_email_verified(conn: &mut AnyConnection, id: UserId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password_hash(conn: &mut AnyConnection, id: UserId, hash: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_name(conn: &mut AnyConnection, id: UserId, name: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts one failed login atomically (concurrent failures are all counted) and returns the new
/// `(failed_logins, lockouts)`.
pub async fn increment_failed_logins(conn: &mut AnyConnection, id: UserId) -> Result<(i64, i64)> {
    Ok(sqlx::query_as("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins, lockouts")
        .bind(id.to_string())
        .fetch_one(conn)
        .await?)
}

/// Stores the brute-force counters computed by the caller.
pub async fn set_login_failures(
    conn: &mut AnyConnection,
    id: UserId,
    failed_logins: i64,
    lockouts: i64,
    locked_until: Option<Timestamp>,
) -> Result<()> {
    sqlx::query("UPDATE users SET failed_logins = $1, lockouts = $2, locked_until = $3 WHERE id = $4")
        .bind(failed_logins)
        .bind(lockouts)
        .bind(locked_until.map(|t| t.as_millis()))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// `secret` is the encrypted TOTP seed; `enabled_at` None means set up but not yet confirmed.
pub async fn set_totp(conn: &mut AnyConnection, id: UserId, secret: Option<&str>, enabled_at: Option<Timestamp>) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = NULL WHERE id = $3")
        .bind(secret)
        .bind(enabled_at.map(|t| t.as_millis()))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Every stored TOTP ciphertext, for key rotation.
pub async fn all_totp_secrets(conn: &mut AnyConnection) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL").fetch_all(conn).await?)
}

pub async fn replace_totp_secret(conn: &mut AnyConnection, id: &str, secret: &str) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2").bind(secret).bind(id).execute(conn).await?;
    Ok(())
}

pub async fn enable_totp(conn: &mut AnyConnection, id: UserId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE users SET totp_enabled_at = $1 WHERE id = $2").bind(now.as_millis()).bind(id.to_string()).execute(conn).await?;
    Ok(())
}

/// Records `step` as the last accepted TOTP step; false when it is not newer than the last one
/// (the code was already used).
pub async fn advance_totp_step(conn: &mut AnyConnection, id: UserId, step: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
