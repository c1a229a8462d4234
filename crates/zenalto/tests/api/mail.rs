//! Mail delivery: over real SMTP (aiosmtpd), retries when the server is down, and the local
//! outbox when no SMTP server is configured.

use std::time::Duration;

use zenalto_testkit::{Backend, StatusCode, TestApp, json, smtp::SmtpCatcher, spawn_app_with};

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
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("smtp://127.0.0.1:{closed_port}");
    let app = spawn_app_with(Backend::Sqlite, |s| s.mail.smtp_url = zenalto_domain::Secret::new(url)).await;
    register(&app, "later@example.org").await;
    let mut mail = app.last_mail("later@example.org").await;
    for _ in 0..100 {
        if mail.last_error.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        mail = app.last_mail("later@example.org").await;
    }
    assert_eq!(mail.status, "pending", "queued for a retry");
    assert!(mail.attempts >= 1);
    assert!(mail.last_error.is_some());
    assert!(mail.body.contains("verification code"), "nothing lost");
}

#[tokio::test]
async fn without_smtp_mail_stays_in_the_local_outbox() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    register(&app, "local@example.org").await;
    let mail = wait_for_status(&app, "local@example.org", "local").await;
    assert!(mail.body.contains("Your verification code is"));
}
