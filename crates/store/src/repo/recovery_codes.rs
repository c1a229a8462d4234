//! Two-factor recovery codes: single use, stored as keyed hashes.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, UserId};

use crate::Result;

pub async fn replace_all(conn: &mut AnyConnection, user: UserId, hashes: &[String], now: Timestamp) -> Result<()> {
    delete_all(&mut *conn, user).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(user.to_string())
            .bind(hash)
            .bind(now.as_millis())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Spends the unused code with this hash; false if there is none.
pub async fn consume(conn: &mut AnyConnection, user: UserId, hash: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(now.as_millis())
        .bind(user.to_string())
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() >= 1)
}

pub async fn remaining(conn: &mut AnyConnection, user: UserId) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n)
}

pub async fn delete_all(conn: &mut AnyConnection, user: UserId) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.to_string()).execute(conn).await?;
    Ok(())
}
