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
async fn rotating_the_key_keeps_two_factor_working() {
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
    server.stop();

    let out = run_ok(zenalto(dir.path()).args(["admin", "rotate-key"]), None);
    assert!(out.contains("k2 is now active") && out.contains("re-encrypted 1 stored secrets"), "{out}");
    let keyring = std::fs::read_to_string(dir.path().join("secrets/encryption-keys.toml")).unwrap();
    assert!(keyring.contains("active = \"k2\"") && keyring.contains("k1 = "), "{keyring}");

    let server = Server::start(dir.path()).await;
    // The enable call used this step's code; the next step's code logs in.
    let code = zenalto_testkit::totp_code(&secret, &clock, 1);
    let (status, body) = server.post("/api/v1/auth/login", None, json!({ "email": "rot@example.org", "password": "a long admin password", "totpCode": code })).await;
    assert_eq!(status, StatusCode::OK, "the re-encrypted seed still verifies codes: {body}");
    server.stop();
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
