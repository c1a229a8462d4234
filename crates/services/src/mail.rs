//! Outgoing mail: templates, the transactional outbox, and delivery. Use cases enqueue mail in
//! their own transaction; `deliver_due` (run by the worker) sends it over SMTP, or, with no SMTP
//! configured, keeps it in the local outbox and prints it to the log for the operator.

use std::time::Duration;

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, message::header::ContentType};
use zenalto_domain::Timestamp;
use zenalto_store::{Conn, repo::outbox};

use crate::{Result, ServiceError, Services};

/// A rendered e-mail.
pub struct Mail {
    pub subject: String,
    pub body: String,
}

pub fn verification_code(name: &str, code: &str, minutes: i64) -> Mail {
    Mail {
        subject: format!("{code} is your Zenalto verification code"),
        body: format!("Hello {name},\n\nYour verification code is {code}. It expires in {minutes} minutes.\n\nIf you did not sign up for Zenalto, ignore this mail.\n"),
    }
}

pub fn password_reset_code(name: &str, code: &str, minutes: i64) -> Mail {
    Mail {
        subject: format!("{code} is your Zenalto password reset code"),
        body: format!("Hello {name},\n\nSomeone asked to reset your Zenalto password. Your code is {code}; it expires in {minutes} minutes.\n\nIf it was not you, ignore this mail: your password stays unchanged.\n"),
    }
}

pub fn password_change_code(name: &str, code: &str, minutes: i64) -> Mail {
    Mail {
        subject: format!("{code} confirms your Zenalto password change"),
        body: format!("Hello {name},\n\nUse the code {code} to confirm your new password. It expires in {minutes} minutes.\n"),
    }
}

pub fn invitation(workspace: &str, inviter: &str, role: &str, link: &str, days: i64) -> Mail {
    Mail {
        subject: format!("{inviter} invited you to {workspace} on Zenalto"),
        body: format!("{inviter} invited you to join the workspace \"{workspace}\" on Zenalto as {role}.\n\nAccept within {days} days: {link}\n"),
    }
}

pub async fn enqueue(conn: &mut Conn, to: &str, mail: Mail, now: Timestamp) -> Result<()> {
    outbox::enqueue(conn, to, &mail.subject, &mail.body, now).await?;
    Ok(())
}

const LEASE_SECS: i64 = 60;
const MAX_ATTEMPTS: i64 = 8;

/// Delivers every due mail; returns how many were handled.
pub async fn deliver_due(services: &Services) -> Result<usize> {
    let now = services.now();
    let claimed = {
        let mut tx = services.db.begin().await?;
        let claimed = outbox::claim_due(&mut tx, now, LEASE_SECS, 20).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        claimed
    };
    // A bad SMTP URL fails each claimed mail like an unreachable server (error recorded, retried
    // with backoff); returning early would leave them leased as "sending" with no trace of why.
    let transport = smtp_transport(services).map_err(|e| e.to_string());
    for mail in &claimed {
        let outcome = match &transport {
            Err(error) => Err(error.clone()),
            Ok(None) => {
                tracing::info!(
                    to = %mail.to_address,
                    subject = %mail.subject,
                    body = %mail.body,
                    "no SMTP configured: mail kept in the local outbox (read it with `zenalto admin outbox`)"
                );
                Ok(None)
            }
            Ok(Some(transport)) => send(transport, services, mail).await.map(Some),
        };
        let mut tx = services.db.begin().await?;
        match outcome {
            Ok(None) => outbox::mark_local(&mut tx, mail.id, services.now()).await?,
            Ok(Some(())) => outbox::mark_sent(&mut tx, mail.id, services.now()).await?,
            Err(error) if mail.attempts + 1 >= MAX_ATTEMPTS => {
                tracing::error!(mail = %mail.id, %error, "giving up on mail after {MAX_ATTEMPTS} attempts");
                outbox::mark_failed(&mut tx, mail.id, &error).await?
            }
            Err(error) => {
                // Exponential backoff: 30 s, 1 min, 2 min … capped at an hour.
                let delay = (30i64 << mail.attempts.min(7)).min(3600);
                tracing::warn!(mail = %mail.id, %error, retry_in_secs = delay, "mail delivery failed");
                outbox::mark_retry(&mut tx, mail.id, &error, services.now().plus_seconds(delay)).await?
            }
        }
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
    }
    Ok(claimed.len())
}

/// When the next mail falls due (for the worker's timer).
pub async fn next_due_at(services: &Services) -> Result<Option<Timestamp>> {
    let mut conn = services.db.read().await?;
    Ok(outbox::next_due_at(&mut conn).await?)
}

fn smtp_transport(services: &Services) -> Result<Option<AsyncSmtpTransport<Tokio1Executor>>> {
    let url = &services.settings.mail.smtp_url;
    if !url.is_set() {
        return Ok(None);
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
        .map_err(|e| ServiceError::Internal(format!("mail.smtp_url is invalid: {e}")))?
        .timeout(Some(Duration::from_secs(15)))
        .build();
    Ok(Some(transport))
}

async fn send(transport: &AsyncSmtpTransport<Tokio1Executor>, services: &Services, mail: &outbox::MailRow) -> Result<(), String> {
    let from: lettre::message::Mailbox = services.settings.mail.from.parse().map_err(|e| format!("mail.from is invalid: {e}"))?;
    // RFC 5322 wants a Message-ID (spam filters penalise mail without one). Derived from the
    // outbox row, so a retry of the same mail carries the same id and receivers can de-duplicate.
    let message_id = format!("<{}@{}>", mail.id, from.email.domain());
    let message = Message::builder()
        .from(from)
        .message_id(Some(message_id))
        .to(mail.to_address.parse().map_err(|e| format!("recipient is invalid: {e}"))?)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| e.to_string())?;
    transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
}
