//! The `zenalto` binary: configuration, migrations (also concurrent on PostgreSQL), admin
//! commands, secrets that survive restarts, key rotation, and graceful shutdown on SIGTERM.

use std::{
    io::Write,
    path::Path,
    process::{Child, Command, Output, Stdio},
    time::Duration,
};

use zenalto_testkit::{StatusCode, Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_zenalto");

fn zenalto(data_dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command.env("ZENALTO__DATA_DIR", data_dir).env("ZENALTO__LOG__LEVEL", "warn").env_remove("ZENALTO__DATABASE__URL");
    command
}

fn run_ok(command: &mut Command, stdin: Option<&str>) -> String {
    let output = run(command, stdin);
    assert!(output.status.success(), "{command:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn run(command: &mut Command, stdin: Option<&str>) -> Output {
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// `zenalto serve` as a child process on a free port.
struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Server {
    async fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[]).await
    }

    async fn start_with(data_dir: &Path, extra: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = zenalto(data_dir)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { child, base: format!("http://127.0.0.1:{port}"), client: reqwest::Client::new() };
        for _ in 0..200 {
            if let Ok(response) = server.client.get(format!("{}/ready", server.base)).send().await
                && response.status() == StatusCode::OK
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("zenalto serve did not become ready");
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        let mut request = self.client.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        zenalto_testkit::read(request.send().await.unwrap()).await
    }

    async fn send(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        zenalto_testkit::read(request.send().await.unwrap()).await
    }

    /// SIGTERM, then the process must exit cleanly on its own.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "zenalto serve exited with {status} after SIGTERM");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("zenalto serve did not shut down within 5 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The web app's API types are generated from `web/src/api/openapi.json`; it must be the
/// document the server serves.
#[test]
fn the_web_apps_openapi_snapshot_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let document = run_ok(zenalto(dir.path()).arg("openapi"), None);
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/src/api/openapi.json")).unwrap();
    assert!(document == committed, "regenerate with `zenalto openapi > web/src/api/openapi.json`");
}

#[test]
fn config_masks_secrets_and_rejects_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(zenalto(dir.path()).arg("config").env("ZENALTO__DATABASE__URL", "postgres://u:supersecret@db/zenalto"), None);
    assert!(!out.contains("supersecret"), "{out}");
    assert!(out.contains("url = \"********\""), "{out}");
    assert!(out.contains(&format!("data_dir = \"{}\"", dir.path().display())), "{out}");

    let example = run_ok(zenalto(dir.path()).args(["config", "--example"]), None);
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../zenalto.example.toml")).unwrap();
    assert_eq!(example, committed, "regenerate with `zenalto config --example > zenalto.example.toml`");

    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[server]\nbnid = \"0.0.0.0:1\"\n").unwrap();
    let output = run(zenalto(dir.path()).args(["config", "--config"]).arg(&file), None);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bnid"), "the unknown key is named: {stderr}");
}

#[tokio::test]
async fn migrations_run_concurrently_on_postgres() {
    let url = zenalto_testkit::fresh_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<Child> = (0..4)
        .map(|_| zenalto(dir.path()).arg("migrate").env("ZENALTO__DATABASE__URL", &url).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap())
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "a concurrent migrate failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let out = run_ok(zenalto(dir.path()).arg("migrate").env("ZENALTO__DATABASE__URL", &url), None);
    assert!(out.contains("migrations applied"));

    // The storage parameters PostgreSQL alone has are set once, however many processes migrate.
    let db = zenalto_store::Db::connect(&url, 2).await.unwrap();
    let mut conn = db.read().await.unwrap();
    let options: Vec<(String, Option<String>)> = sqlx::query_as("SELECT relname::text, array_to_string(reloptions, ',') FROM pg_class WHERE relname IN ('posts', 'post_targets', 'jobs') ORDER BY relname")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        options,
        vec![("jobs".to_owned(), None), ("post_targets".to_owned(), Some("fillfactor=70".to_owned())), ("posts".to_owned(), Some("fillfactor=70".to_owned()))]
    );
}

#[tokio::test]
async fn admin_users_survive_restarts_with_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(zenalto(dir.path()).arg("migrate"), None);
    let out = run_ok(zenalto(dir.path()).args(["admin", "create-user", "--email", "root@example.org", "--name", "Root"]), Some("a long admin password\n"));
    assert!(out.contains("created user"), "{out}");
    let short = run(zenalto(dir.path()).args(["admin", "create-user", "--email", "x@example.org", "--name", "X"]), Some("short\n"));
    assert!(!short.status.success(), "weak passwords are refused");

    #[cfg(unix)]
    for file in ["jwt-signing.key", "encryption-keys.toml"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("secrets").join(file)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }

    let server = Server::start(dir.path()).await;
    let (status, session) = server.post("/api/v1/auth/login", None, json!({ "email": "root@example.org", "password": "a long admin password" })).await;
    assert_eq!(status, StatusCode::OK, "admin-created users need no e-mail verification: {session}");
    let refresh = session["refreshToken"].as_str().unwrap().to_owned();
    server.stop();

    let server = Server::start(dir.path()).await;
    let (status, body) = server.post("/api/v1/auth/refresh", None, json!({ "refreshToken": refresh })).await;
    assert_eq!(status, StatusCode::OK, "sessions survive a restart (secrets were reused): {body}");
    server.stop();

    run_ok(zenalto(dir.path()).args(["admin", "reset-password", "--email", "root@example.org"]), Some("another long password\n"));
    let server = Server::start(dir.path()).await;
    let (status, _) = server.post("/api/v1/auth/refresh", None, json!({ "refreshToken": body["refreshToken"] })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a reset signs out every session");
    let (status, _) = server.post("/api/v1/auth/login", None, json!({ "email": "root@example.org", "password": "another long password" })).await;
    assert_eq!(status, StatusCode::OK);
    server.stop();
}

#[tokio::test]
async fn rotating_the_key_keeps_two_factor_ai_keys_and_network_tokens_working() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(zenalto(dir.path()).args(["admin", "create-user", "--email", "rot@example.org", "--name", "Rot"]), Some("a long admin password\n"));
    let server = Server::start(dir.path()).await;
    let (_, session) = server.post("/api/v1/auth/login", None, json!({ "email": "rot@example.org", "password": "a long admin password" })).await;
    let access = session["accessToken"].as_str().unwrap();
    let (_, setup) = server.post("/api/v1/me/2fa/setup", Some(access), json!({})).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let clock = zenalto_services::Clock::system();
    let (status, _) = server.post("/api/v1/me/2fa/enable", Some(access), json!({ "code": zenalto_testkit::totp_code(&secret, &clock, 0) })).await;
    assert_eq!(status, StatusCode::OK);
    // An AI provider key is sealed with the same keyring.
    let fake = zenalto_testkit::ai::openai::spawn().await;
    let (_, workspaces) = server.send(reqwest::Method::GET, "/api/v1/workspaces", access, None).await;
    let workspace = workspaces["items"][0]["id"].as_str().or(workspaces[0]["id"].as_str()).unwrap_or_else(|| panic!("{workspaces}")).to_owned();
    let ai = format!("/api/v1/workspaces/{workspace}/ai");
    let settings = json!({ "providers": [{ "kind": "openai", "baseUrl": fake.base_url, "model": "m", "apiKey": zenalto_testkit::ai::KEY }] });
    let (status, body) = server.send(reqwest::Method::PUT, &format!("{ai}/settings"), access, Some(settings)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A Mastodon account on mastodon-mock: its access token and Zenalto's app secret there.
    let mastodon_account = connect_mastodon(&server, access, &workspace).await;
    server.stop();

    let out = run_ok(zenalto(dir.path()).args(["admin", "rotate-key"]), None);
    assert!(out.contains("k2 is now active") && out.contains("re-encrypted 4 stored secrets"), "the TOTP seed, the AI key, the network token and app secret: {out}");
    let keyring = std::fs::read_to_string(dir.path().join("secrets/encryption-keys.toml")).unwrap();
    assert!(keyring.contains("active = \"k2\"") && keyring.contains("k1 = "), "{keyring}");

    let server = Server::start(dir.path()).await;
    // The enable call used this step's code; the next step's code logs in.
    let code = zenalto_testkit::totp_code(&secret, &clock, 1);
    let (status, body) = server.post("/api/v1/auth/login", None, json!({ "email": "rot@example.org", "password": "a long admin password", "totpCode": code })).await;
    assert_eq!(status, StatusCode::OK, "the re-encrypted seed still verifies codes: {body}");
    let access = body["accessToken"].as_str().unwrap();
    let generate = json!({ "brief": { "topic": "rotation" }, "networks": ["x"], "variations": 1 });
    let (status, body) = server.post(&format!("{ai}/generate"), Some(access), generate).await;
    assert_eq!((status, body["engine"].clone()), (StatusCode::OK, json!("openai")), "the re-encrypted AI key still opens the provider: {body}");
    // The re-sealed network token still publishes.
    let posts = format!("/api/v1/workspaces/{workspace}/posts");
    let draft = json!({ "content": { "text": "After a key rotation" }, "targets": [{ "accountId": mastodon_account }] });
    let (status, post) = server.send(reqwest::Method::POST, &posts, access, Some(draft)).await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let id = post["id"].as_str().unwrap();
    let (status, body) = server.send(reqwest::Method::POST, &format!("{posts}/{id}/publish"), access, Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut last = Value::Null;
    for _ in 0..100 {
        last = server.send(reqwest::Method::GET, &format!("{posts}/{id}"), access, None).await.1;
        if last["status"] == "published" || last["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last["status"], "published", "the re-encrypted token still opens the account: {last}");
    server.stop();
}

/// Connects a mastodon-mock account through Zenalto's connect flow (its consent page picks a
/// demo user by a form post); returns the account id.
async fn connect_mastodon(server: &Server, access: &str, workspace: &str) -> String {
    let instance = std::env::var("ZENALTO_TEST_MASTODON_MOCK_URL").unwrap_or_else(|_| panic!("ZENALTO_TEST_MASTODON_MOCK_URL is not set: run `source scripts/services.sh`"));
    let connections = format!("/api/v1/workspaces/{workspace}/connections");
    let (status, start) = server.send(reqwest::Method::POST, &connections, access, Some(json!({ "network": "mastodon", "instanceUrl": instance }))).await;
    assert_eq!(status, StatusCode::OK, "{start}");
    let url = url::Url::parse(start["authorizationUrl"].as_str().unwrap()).unwrap();
    let asked: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = [("username", "alan"), ("client_id", &asked["client_id"]), ("redirect_uri", &asked["redirect_uri"]), ("scope", &asked["scope"]), ("state", &asked["state"])];
    let response = browser.post(format!("{instance}/oauth/authorize")).form(&form).send().await.unwrap();
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    let back: std::collections::HashMap<String, String> = location.query_pairs().into_owned().collect();
    let (status, done) = server.send(reqwest::Method::POST, &format!("{connections}/complete"), access, Some(json!({ "state": back["state"], "code": back["code"] }))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    done["accounts"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_local_outbox_is_readable_by_the_operator() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (status, _) = server.post("/api/v1/auth/register", None, json!({ "email": "outbox@example.org", "password": "correct horse battery", "name": "Out" })).await;
    assert_eq!(status, StatusCode::CREATED);
    server.stop();
    let out = run_ok(zenalto(dir.path()).args(["admin", "outbox", "--to", "outbox@example.org"]), None);
    assert!(out.contains("to outbox@example.org") && out.contains("Your verification code is"), "{out}");
}

#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = zenalto(dir.path())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("ZENALTO__LOG__FORMAT", "json")
        .env("ZENALTO__LOG__LEVEL", "info")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/health")).header("x-request-id", "json-log-test").send().await
            && r.status() == StatusCode::OK
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready);
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    assert!(child.wait().unwrap().success());
    let lines: Vec<Value> = stdout.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().any(|l| l.to_string().contains("json-log-test") && l["message"] == "request finished"),
        "the request's span carries its id: {stdout}"
    );
}

#[tokio::test]
async fn an_api_only_process_leaves_mail_to_a_worker_process() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--no-workers"]).await;
    let (status, _) = server.post("/api/v1/auth/register", None, json!({ "email": "roles@example.org", "password": "correct horse battery", "name": "R" })).await;
    assert_eq!(status, StatusCode::CREATED);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let out = run_ok(zenalto(dir.path()).args(["admin", "outbox", "--to", "roles@example.org"]), None);
    assert!(out.contains("· pending ·"), "no worker ran in the API process: {out}");

    let mut worker = zenalto(dir.path()).arg("worker").stdout(Stdio::null()).spawn().unwrap();
    let mut delivered = false;
    for _ in 0..100 {
        let out = run_ok(zenalto(dir.path()).args(["admin", "outbox", "--to", "roles@example.org"]), None);
        if out.contains("· local ·") {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Command::new("kill").args(["-TERM", &worker.id().to_string()]).status().unwrap();
    assert!(worker.wait().unwrap().success(), "the worker stops cleanly on SIGTERM");
    assert!(delivered, "the worker process handled the mail queued by the API process");
    server.stop();
}

/// `zenalto serve` with extra environment (e.g. a PostgreSQL URL), ready to take requests.
async fn serve_with_env(data_dir: &Path, env: &[(&str, &str)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = zenalto(data_dir);
    command.args(["serve", "--bind", &format!("127.0.0.1:{port}")]).stdout(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let server = Server { child: command.spawn().unwrap(), base: format!("http://127.0.0.1:{port}"), client: reqwest::Client::new() };
    for _ in 0..200 {
        if let Ok(response) = server.client.get(format!("{}/ready", server.base)).send().await
            && response.status() == StatusCode::OK
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("zenalto serve did not become ready");
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn config_masks_every_secret_and_explains_bad_input_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(
        zenalto(dir.path())
            .arg("config")
            .env("ZENALTO__DATABASE__URL", "postgres://u:supersecret@h/db")
            .env("ZENALTO__MAIL__SMTP_URL", "smtp://mailer:mailsecret@smtp.example.org:587")
            .env("ZENALTO__AUTH__JWT_SECRET", "jwtsecretvalue")
            .env("ZENALTO__SERVER__BODY_LIMIT_BYTES", "4096"),
        None,
    );
    for secret in ["supersecret", "mailsecret", "jwtsecretvalue", "mailer"] {
        assert!(!out.contains(secret), "{secret} leaked: {out}");
    }
    assert_eq!(out.matches("\"********\"").count(), 3, "{out}");
    assert!(out.contains("body_limit_bytes = 4096"), "environment overrides are shown: {out}");
    // What `zenalto config` prints parses back as a configuration file.
    let file = dir.path().join("effective.toml");
    std::fs::write(&file, &out).unwrap();
    run_ok(zenalto(dir.path()).args(["config", "--config"]).arg(&file), None);
    // Unset secrets are shown as empty, so an operator sees what is generated locally.
    let out = run_ok(zenalto(dir.path()).arg("config"), None);
    assert!(out.contains("jwt_secret = \"\"") && out.contains("smtp_url = \"\""), "{out}");

    // (what, environment, config file, the culprit the message must name)
    type Case = (&'static str, Vec<(&'static str, &'static str)>, Option<&'static str>, &'static str);
    let cases: [Case; 4] = [
        ("a mistyped environment variable", vec![("ZENALTO__SERVR__BIND", "127.0.0.1:1")], None, "servr"),
        ("a value of the wrong type", vec![("ZENALTO__SERVER__BODY_LIMIT_BYTES", "lots")], None, "BODY_LIMIT_BYTES"),
        ("a missing file", vec![], Some("/nonexistent/zenalto.toml"), "/nonexistent/zenalto.toml"),
        ("a bad address in the file", vec![], Some("bad.toml"), "server.bind"),
    ];
    std::fs::write(dir.path().join("bad.toml"), "[server]\nbind = \"everywhere\"\n").unwrap();
    for (what, env, file, named) in cases {
        let mut command = zenalto(dir.path());
        command.arg("config");
        for (key, value) in env {
            command.env(key, value);
        }
        if let Some(file) = file {
            command.arg("--config").arg(if file.starts_with('/') { file.into() } else { dir.path().join(file) });
        }
        let output = run(&mut command, None);
        assert!(!output.status.success(), "{what}: accepted");
        assert!(output.stdout.is_empty(), "{what}: printed a configuration anyway");
        let stderr = stderr_of(&output);
        assert!(stderr.starts_with("error: invalid configuration"), "{what}: {stderr}");
        assert!(stderr.contains(named), "{what}: the culprit {named} is not named: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), stderr.trim_end().lines().collect::<std::collections::HashSet<_>>().len(), "{what}: repeated lines: {stderr}");
        assert_eq!(stderr.matches(named).count(), 1, "{what}: the message is said once: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn migrate_on_sqlite_creates_a_private_data_folder_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    for _ in 0..2 {
        let out = run_ok(zenalto(&dir).arg("migrate"), None);
        assert_eq!(out.trim(), "migrations applied");
    }
    assert!(dir.join("zenalto.db").is_file());
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700, "the data folder is private");
    assert_eq!(std::fs::metadata(dir.join("secrets")).unwrap().permissions().mode() & 0o077, 0, "the secrets folder is private");
    // A database that refuses: non-zero with the reason.
    let output = run(zenalto(&dir).arg("migrate").env("ZENALTO__DATABASE__URL", "mysql://nope"), None);
    assert!(!output.status.success());
    assert!(stderr_of(&output).contains("postgres://"), "{}", stderr_of(&output));
}

#[tokio::test]
async fn the_binary_runs_on_postgres() {
    let url = zenalto_testkit::fresh_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(zenalto(dir.path()).arg("migrate").env("ZENALTO__DATABASE__URL", &url), None);
    assert!(out.contains("migrations applied"));
    assert!(!dir.path().join("zenalto.db").exists(), "no SQLite file when PostgreSQL is configured");
    run_ok(
        zenalto(dir.path()).args(["admin", "create-user", "--email", "pg@example.org", "--name", "Pg"]).env("ZENALTO__DATABASE__URL", &url),
        Some("a long admin password\n"),
    );
    let server = serve_with_env(dir.path(), &[("ZENALTO__DATABASE__URL", &url)]).await;
    let (status, ready) = zenalto_testkit::read(server.client.get(format!("{}/ready", server.base)).send().await.unwrap()).await;
    assert_eq!((status, ready["database"].as_str()), (StatusCode::OK, Some("ok")));
    let (status, body) = server.post("/api/v1/auth/login", None, json!({ "email": "pg@example.org", "password": "a long admin password" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop();
    run_ok(
        zenalto(dir.path()).args(["admin", "reset-password", "--email", "pg@example.org"]).env("ZENALTO__DATABASE__URL", &url),
        Some("another long password\n"),
    );
    let server = serve_with_env(dir.path(), &[("ZENALTO__DATABASE__URL", &url)]).await;
    let (status, _) = server.post("/api/v1/auth/login", None, json!({ "email": "pg@example.org", "password": "another long password" })).await;
    assert_eq!(status, StatusCode::OK);
    server.stop();
}

#[tokio::test]
async fn admin_commands_explain_their_refusals_and_reset_clears_lockouts() {
    let dir = tempfile::tempdir().unwrap();
    let create = |email: &str| run(zenalto(dir.path()).args(["admin", "create-user", "--email", email, "--name", "Op"]), Some("a long admin password\n"));
    assert!(create("op@example.org").status.success());
    let again = create("OP@example.org");
    assert!(!again.status.success(), "duplicate (case-insensitively) accepted");
    assert!(stderr_of(&again).contains("already exists"), "{}", stderr_of(&again));
    let bad = create("not-an-email");
    assert!(!bad.status.success() && stderr_of(&bad).contains("email"), "{}", stderr_of(&bad));

    let unknown = run(zenalto(dir.path()).args(["admin", "reset-password", "--email", "ghost@example.org"]), Some("a long new password\n"));
    assert!(!unknown.status.success());
    assert!(stderr_of(&unknown).contains("ghost@example.org"), "the operator learns which user is missing: {}", stderr_of(&unknown));
    let weak = run(zenalto(dir.path()).args(["admin", "reset-password", "--email", "op@example.org"]), Some("short\n"));
    assert!(!weak.status.success(), "a weak password was set");

    // Lock the account with wrong passwords; the reset unlocks it.
    let lockout = [("ZENALTO__AUTH__LOCKOUT_THRESHOLD", "2")];
    let server = serve_with_env(dir.path(), &lockout).await;
    for _ in 0..2 {
        let (status, _) = server.post("/api/v1/auth/login", None, json!({ "email": "op@example.org", "password": "wrong wrong wrong" })).await;
        assert!(matches!(status, StatusCode::UNAUTHORIZED | StatusCode::LOCKED), "{status}");
    }
    let (status, body) = server.post("/api/v1/auth/login", None, json!({ "email": "op@example.org", "password": "a long admin password" })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::LOCKED, Some("ACCOUNT_LOCKED")), "{body}");
    server.stop();
    run_ok(zenalto(dir.path()).args(["admin", "reset-password", "--email", "op@example.org"]), Some("a brand new password\n"));
    let server = serve_with_env(dir.path(), &lockout).await;
    let (status, body) = server.post("/api/v1/auth/login", None, json!({ "email": "op@example.org", "password": "a brand new password" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop();
}

#[test]
fn serve_refuses_a_busy_port_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = busy.local_addr().unwrap().to_string();
    let output = run(zenalto(dir.path()).args(["serve", "--bind", &address]), None);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(stderr.contains(&format!("cannot listen on {address}")), "{stderr}");
}

#[tokio::test]
async fn sigterm_waits_for_a_request_in_flight() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // The request's headers and half its body are in when SIGTERM arrives; the rest follows
    // after. The request is still answered, then the process exits 0.
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let body = json!({ "email": "late@example.org", "password": "correct horse battery", "name": "L" }).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.child.id();
    let stopping = tokio::task::spawn_blocking(move || server.stop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!stopping.is_finished(), "the process exited with a request in flight (pid {pid})");
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    stopping.await.unwrap();
}
