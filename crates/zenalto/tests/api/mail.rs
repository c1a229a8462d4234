//! Mail delivery: over real SMTP (aiosmtpd), retries when the server is down, and the local
//! outbox when no SMTP server is configured.

use std::time::Duration;

use zenalto_testkit::{Backend, StatusCode, TestApp, json, smtp::{ReservedPort, SmtpCatcher}, spawn_app_with};

async fn register(app: &TestApp, email: &str) {
    let (status, body) = app.post("/api/v1/auth/register", None, json!({ "email": email, "password": "correct horse battery", "name": "Mail" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn wait_for_status(app: &TestApp, email: &str, wanted: &str) -> zenalto_store::repo::outbox::MailRow {
    for _ in 0..100 {
        let mail = app.last_mail(email).await;
        if mail.status == wanted {
            return mail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mail = app.last_mail(email).await;
    panic!("mail to {email} is {} (last error {:?}), wanted {wanted}", mail.status, mail.last_error);
}

#[tokio::test]
async fn codes_are_delivered_over_smtp_and_not_kept() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let smtp = SmtpCatcher::start().await;
        let url = smtp.url();
        let app = spawn_app_with(backend, |s| s.mail.smtp_url = zenalto_domain::Secret::new(url)).await;
        register(&app, "smtp@example.org").await;
        let messages = smtp.wait_for_messages(1, Duration::from_secs(10)).await;
        assert_eq!(messages.len(), 1, "{backend:?}");
        let message = &messages[0];
        assert!(message.contains("To: smtp@example.org"), "{message}");
        assert!(message.contains("From: Zenalto <no-reply@zenalto.local>"), "{message}");
        let sent = wait_for_status(&app, "smtp@example.org", "sent").await;
        assert!(sent.body.is_empty(), "a delivered mail's body (with its code) is not kept");
        let code = sent.subject.split_whitespace().next().unwrap().to_owned();
        assert!(message.contains(&format!("Your verification code is {code}")), "the code went over the wire: {message}");
        let (status, _) = app.post("/api/v1/auth/verify-email", None, json!({ "email": "smtp@example.org", "code": code })).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_unreachable_smtp_server_delays_mail_without_losing_it() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        unreachable_smtp(backend).await;
    }
}

async fn unreachable_smtp(backend: Backend) {
    // Held but not listening: refused like a server that is down, and no other test's SMTP
    // catcher can be given this port meanwhile (which once delivered this test's mail).
    let closed_port = ReservedPort::new();
    let url = format!("smtp://127.0.0.1:{}", closed_port.port);
    let app = spawn_app_with(backend, |s| s.mail.smtp_url = zenalto_domain::Secret::new(url)).await;
    register(&app, "later@example.org").await;
    let mut mail = app.last_mail("later@example.org").await;
    for _ in 0..100 {
        if mail.last_error.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        mail = app.last_mail("later@example.org").await;
    }
    assert_eq!(mail.status, "pending", "{backend:?}: queued for a retry");
    assert_eq!(mail.attempts, 1, "{backend:?}: one attempt, then a backoff (not a hot loop)");
    assert!(mail.last_error.as_deref().is_some_and(|e| !e.is_empty()), "{backend:?}");
    assert!(mail.body.contains("Your verification code is"), "{backend:?}: nothing lost");
    // The failure is not retried in a hot loop.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.last_mail("later@example.org").await.attempts, 1, "{backend:?}: no retry before the backoff ends");

    // The SMTP server comes back; once the backoff has passed the same mail goes out.
    let smtp = SmtpCatcher::start_on(closed_port).await;
    app.clock.advance_secs(31);
    let sent = wait_for_status(&app, "later@example.org", "sent").await;
    assert_eq!(sent.attempts, 2, "{backend:?}");
    assert!(sent.last_error.is_none() && sent.body.is_empty(), "{backend:?}");
    let messages = smtp.wait_for_messages(1, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 1, "{backend:?}: delivered exactly once");
    assert!(messages[0].contains(&mail.subject), "{backend:?}: the queued mail itself was delivered: {}", messages[0]);
    let message_id = format!("Message-ID: <{}@zenalto.local>", mail.id);
    assert!(messages[0].contains(&message_id), "{backend:?}: the Message-ID is the outbox row's, stable across retries: {}", messages[0]);
}

#[tokio::test]
async fn without_smtp_mail_stays_in_the_local_outbox() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_with(backend, |_| {}).await;
        register(&app, "local@example.org").await;
        let mail = wait_for_status(&app, "local@example.org", "local").await;
        assert!(mail.body.contains("Your verification code is"), "{backend:?}");
        assert_eq!(mail.attempts, 1, "{backend:?}");
        assert!(mail.last_error.is_none(), "{backend:?}");
        // Kept mail is not picked up again.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let again = app.last_mail("local@example.org").await;
        assert_eq!((again.status.as_str(), again.attempts), ("local", 1), "{backend:?}");
    }
}

/// The wire format: proper headers, and every kind of mail goes out the same way.
#[tokio::test]
async fn smtp_messages_are_well_formed() {
    let smtp = SmtpCatcher::start().await;
    let url = smtp.url();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.mail.smtp_url = zenalto_domain::Secret::new(url);
        s.mail.from = "Team Zenalto <team@zenalto.example>".into();
    })
    .await;
    register(&app, "wire@example.org").await;
    let first = smtp.wait_for_messages(1, Duration::from_secs(10)).await;
    let code = first[0].lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap().split_whitespace().next().unwrap().to_owned();
    let (status, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": "wire@example.org", "code": code })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.post("/api/v1/auth/password/forgot", None, json!({ "email": "wire@example.org" })).await;
    assert!(status.is_success(), "{status}");
    let messages = smtp.wait_for_messages(2, Duration::from_secs(10)).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    for message in &messages {
        let (head, body) = message.split_once("\n\n").or_else(|| message.split_once("\r\n\r\n")).unwrap();
        assert!(head.contains("From: \"Team Zenalto\" <team@zenalto.example>") || head.contains("From: Team Zenalto <team@zenalto.example>"), "{head}");
        for header in ["To: wire@example.org", "Subject: ", "Date: "] {
            assert!(head.contains(header), "{header:?} missing: {head}");
        }
        let message_id = head.lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap_or_else(|| panic!("no Message-ID: {head}"));
        assert!(message_id.starts_with('<') && message_id.ends_with("@zenalto.example>"), "{message_id}");
        assert!(head.to_ascii_lowercase().contains("content-type: text/plain"), "{head}");
        let subject = head.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap();
        let code = subject.split_whitespace().next().unwrap();
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{subject}");
        assert!(body.contains(code), "the code is in the body: {body}");
    }
    assert!(messages.iter().any(|m| m.contains("password reset code")), "{messages:?}");
    let ids: std::collections::HashSet<_> = messages.iter().filter_map(|m| m.lines().find(|l| l.starts_with("Message-ID: "))).collect();
    assert_eq!(ids.len(), 2, "each mail has its own Message-ID");
    let mail = wait_for_status(&app, "wire@example.org", "sent").await;
    assert!(mail.body.is_empty());
}

/// A mistyped SMTP URL is a delivery failure the operator can see on the mail (and in
/// `zenalto admin outbox`), retried with backoff like a server that is down — not a claim that
/// silently expires and comes back forever.
#[tokio::test]
async fn an_invalid_smtp_url_is_reported_on_the_mail() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.mail.smtp_url = zenalto_domain::Secret::new("smpt://127.0.0.1:25".into())).await;
    register(&app, "typo@example.org").await;
    let mut mail = app.last_mail("typo@example.org").await;
    for _ in 0..50 {
        if mail.last_error.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        mail = app.last_mail("typo@example.org").await;
    }
    assert!(mail.last_error.as_deref().is_some_and(|e| e.contains("smtp_url")), "{mail:?}");
    assert_eq!((mail.status.as_str(), mail.attempts), ("pending", 1), "{mail:?}");
    assert!(mail.body.contains("Your verification code is"), "nothing lost");
}
