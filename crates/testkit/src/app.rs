use std::{net::SocketAddr, time::Duration};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use zenalto_server::Roles;
use zenalto_services::{Clock, Services};
use zenalto_settings::Settings;
use zenalto_store::repo::outbox;

use crate::Backend;

/// A running Zenalto for one test. Dropping it shuts the server down.
pub struct TestApp {
    pub backend: Backend,
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub services: Services,
    pub clock: Clock,
    pub settings: Settings,
    shutdown: CancellationToken,
    _data_dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A verified user signed in through the API.
#[derive(Clone, Debug)]
pub struct Account {
    pub email: String,
    pub password: String,
    pub user_id: String,
    pub workspace_id: String,
    pub access: String,
    pub refresh: String,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts an app after `configure` adjusts the test settings.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with_connectors(backend, configure, Vec::new()).await
}

/// An app whose services also hold `connectors` (each replacing the adapter of its network).
pub async fn spawn_app_with_connectors(backend: Backend, configure: impl FnOnce(&mut Settings), connectors: Vec<std::sync::Arc<dyn zenalto_networks::Connector>>) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings { data_dir: data_dir.path().to_owned(), ..Settings::default() };
    if backend == Backend::Postgres {
        settings.database.url = zenalto_domain::Secret::new(crate::fresh_postgres_database().await);
    }
    // Tests send many requests from one address; the rate-limit tests lower these explicitly.
    settings.rate_limit.per_ip_per_minute = 100_000;
    settings.rate_limit.auth_per_ip_per_minute = 100_000;
    settings.rate_limit.per_user_per_minute = 100_000;
    settings.workers.poll_interval_ms = 100;
    configure(&mut settings);

    // ZENALTO_TEST_LOG=warn (a tracing filter) shows the server's log in a test's output.
    if let Ok(filter) = std::env::var("ZENALTO_TEST_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).with_test_writer().try_init();
    }
    let clock = Clock::system();
    let mut services = zenalto_server::prepare(&settings, clock.clone()).await.expect("prepare app");
    for connector in connectors {
        services = services.with_connector(connector);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    settings.server.public_url = format!("http://{addr}");
    let shutdown = CancellationToken::new();
    let roles = Roles { api: true, workers: settings.workers.enabled };
    tokio::spawn(zenalto_server::run(services.clone(), Some(listener), roles, shutdown.clone()));
    TestApp {
        backend,
        addr,
        base: format!("http://{addr}"),
        client: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client"),
        services,
        clock,
        settings,
        shutdown,
        _data_dir: data_dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends JSON and returns status and parsed body (Null for empty bodies).
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let mut builder = self.request(method, path, token);
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        read(builder.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// The newest mail to `to`, straight from the outbox table.
    pub async fn last_mail(&self, to: &str) -> outbox::MailRow {
        let mut conn = self.services.db.read().await.expect("db");
        outbox::recent(&mut conn, Some(to), 1).await.expect("outbox").into_iter().next().unwrap_or_else(|| panic!("no mail to {to}"))
    }

    /// The 6-digit code in the newest mail to `to`.
    pub async fn last_code(&self, to: &str) -> String {
        let mail = self.last_mail(to).await;
        six_digits(&mail.body).unwrap_or_else(|| panic!("no code in mail: {}", mail.body))
    }

    /// Registers, verifies by mailed code, and returns the signed-in account.
    pub async fn signed_in(&self, email: &str) -> Account {
        let password = "correct horse battery".to_string();
        let (status, body) =
            self.post("/api/v1/auth/register", None, json!({ "email": email, "password": password, "name": "Test User" })).await;
        assert_eq!(status, StatusCode::CREATED, "register {email}: {body}");
        let workspace_id = body["workspaceId"].as_str().expect("workspace id").to_owned();
        let code = self.last_code(email).await;
        let (status, session) = self.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": code })).await;
        assert_eq!(status, StatusCode::OK, "verify {email}: {session}");
        Account {
            email: email.to_owned(),
            password,
            user_id: session["user"]["id"].as_str().expect("user id").to_owned(),
            workspace_id,
            access: session["accessToken"].as_str().expect("access token").to_owned(),
            refresh: session["refreshToken"].as_str().expect("refresh token").to_owned(),
        }
    }
}

impl TestApp {
    /// Logs in with e-mail and password; returns status and body.
    pub async fn login(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.post("/api/v1/auth/login", None, json!({ "email": email, "password": password })).await
    }

    /// `owner` invites `email` as `role`; the invitee signs up, verifies and accepts.
    pub async fn member(&self, owner: &Account, email: &str, role: &str) -> Account {
        let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);
        let (status, body) = self.post(&path, Some(&owner.access), json!({ "email": email, "role": role })).await;
        assert_eq!(status, StatusCode::CREATED, "invite {email}: {body}");
        let token = self.invitation_token(email).await;
        let mut invitee = self.signed_in(email).await;
        let (status, body) = self.post("/api/v1/invitations/accept", Some(&invitee.access), json!({ "token": token })).await;
        assert_eq!(status, StatusCode::OK, "accept {email}: {body}");
        invitee.workspace_id = owner.workspace_id.clone();
        invitee
    }

    /// The token in the newest invitation mail to `email`.
    pub async fn invitation_token(&self, email: &str) -> String {
        let mut conn = self.services.db.read().await.expect("db");
        let mails = outbox::recent(&mut conn, Some(email), 20).await.expect("outbox");
        let mail = mails.iter().find(|m| m.body.contains("token=")).unwrap_or_else(|| panic!("no invitation mail to {email}"));
        let start = mail.body.find("token=").expect("token") + "token=".len();
        mail.body[start..].split_whitespace().next().expect("token text").to_owned()
    }
}

pub async fn read(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, body)
}

fn six_digits(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit()).find(|run| run.len() == 6).map(str::to_owned)
}

/// The current TOTP code for a base32 seed, as an authenticator app would show it (optionally
/// `steps` time steps away from the app clock).
pub fn totp_code(secret_base32: &str, clock: &Clock, steps: i64) -> String {
    let seed = totp_rs::Secret::try_from_base32(secret_base32).expect("base32 secret");
    let totp = totp_rs::Builder::new().with_secret(seed).build().expect("totp");
    let at = clock.now().as_millis() / 1000 + steps * 30;
    totp.generate(u64::try_from(at).expect("positive time")).to_string()
}

/// One response with the request id the server answered in `x-request-id`.
#[derive(Debug)]
pub struct Sent {
    pub status: StatusCode,
    pub body: Value,
    pub request_id: String,
}

impl TestApp {
    /// Sends JSON with a chosen `User-Agent` and returns status, body and the `x-request-id`
    /// header, so a test can find the audit row its request wrote.
    pub async fn send_as(&self, user_agent: &str, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Sent {
        let mut builder = self.request(method, path, token).header(reqwest::header::USER_AGENT, user_agent);
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        let response = builder.send().await.expect("request sent");
        let request_id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let (status, body) = read(response).await;
        Sent { status, body, request_id }
    }

    /// `inviter` invites `email` as `role` (no acceptance); returns status and body.
    pub async fn invite(&self, inviter: &Account, email: &str, role: &str) -> (StatusCode, Value) {
        let path = format!("/api/v1/workspaces/{}/invitations", inviter.workspace_id);
        self.post(&path, Some(&inviter.access), json!({ "email": email, "role": role })).await
    }
}
