//! The mail outbox. Mail is written in the same transaction as the action that causes it and
//! delivered by a worker, so a crash never loses a verification code and a failed SMTP server
//! never fails a sign-up.

use sqlx::AnyConnection;
use zenalto_domain::{MailId, Timestamp};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MailRow {
    #[sqlx(try_from = "String")]
    pub id: MailId,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

macro_rules! columns {
    () => {
        "id, to_address, subject, body, status, attempts, last_error, created_at"
    };
}

pub async fn enqueue(conn: &mut AnyConnection, to: &str, subject: &str, body: &str, now: Timestamp) -> Result<MailId> {
    let id = MailId::new();
    sqlx::query(
        "INSERT INTO outbox_emails (id, to_address, subject, body, status, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $5)",
    )
    .bind(id.to_string())
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Claims up to `limit` due mails for `lease_secs`. A claim is a conditional update, so two
/// workers never send the same mail; a worker that dies lets the lease run out and another
/// worker picks the mail up again.
pub async fn claim_due(conn: &mut AnyConnection, now: Timestamp, lease_secs: i64, limit: i64) -> Result<Vec<MailRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM outbox_emails WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at LIMIT $2");
    let due: Vec<MailRow> = sqlx::query_as(sql).bind(now.as_millis()).bind(limit).fetch_all(&mut *conn).await?;
    let mut claimed = Vec::with_capacity(due.len());
    for mail in due {
        let done = sqlx::query(
            "UPDATE outbox_emails SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1 \
             WHERE id = $2 AND status IN ('pending', 'sending') AND next_attempt_at <= $3",
        )
        .bind(now.plus_seconds(lease_secs).as_millis())
        .bind(mail.id.to_string())
        .bind(now.as_millis())
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            claimed.push(mail);
        }
    }
    Ok(claimed)
}

/// Delivered over SMTP: the body (which may hold a code) is not kept.
pub async fn mark_sent(conn: &mut AnyConnection, id: MailId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE outbox_emails SET status = 'sent', body = '', sent_at = $1, last_error = NULL WHERE id = $2")
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// No SMTP configured: the mail stays readable in the local outbox.
pub async fn mark_local(conn: &mut AnyConnection, id: MailId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE outbox_emails SET status = 'local', sent_at = $1 WHERE id = $2")
        .bind(now.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_retry(conn: &mut AnyConnection, id: MailId, error: &str, next_attempt_at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE outbox_emails SET status = 'pending', last_error = $1, next_attempt_at = $2 WHERE id = $3")
        .bind(error)
        .bind(next_attempt_at.as_millis())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_failed(conn: &mut AnyConnection, id: MailId, error: &str) -> Result<()> {
    sqlx::query("UPDATE outbox_emails SET status = 'failed', last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Newest mails first, optionally only those to one address.
pub async fn recent(conn: &mut AnyConnection, to: Option<&str>, limit: i64) -> Result<Vec<MailRow>> {
    let sql = concat!("SELECT ", columns!(), " FROM outbox_emails WHERE ($1 = '' OR to_address = $1) ORDER BY id DESC LIMIT $2");
    Ok(sqlx::query_as(sql).bind(to.unwrap_or_default()).bind(limit).fetch_all(conn).await?)
}

/// The earliest time a mail is due, so the worker can sleep exactly until then.
pub async fn next_due_at(conn: &mut AnyConnection) -> Result<Option<Timestamp>> {
    let row: (Option<i64>,) =
        sqlx::query_as("SELECT MIN(next_attempt_at) FROM outbox_emails WHERE status IN ('pending', 'sending')").fetch_one(conn).await?;
    Ok(row.0.map(Timestamp::from_millis))
}
