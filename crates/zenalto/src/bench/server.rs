//! The server under test: a `zenalto serve` child process on a data folder of its own, and the
//! throw-away PostgreSQL databases it may use.

use std::{
    fs::File,
    io::Write,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use sqlx::Connection;

/// The credentials of the user the load is driven as.
pub const EMAIL: &str = "bench@example.org";
pub const PASSWORD: &str = "benchmark password";

const START_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the processes run: a data folder and, on PostgreSQL, a database URL.
pub struct Target<'a> {
    pub exe: &'a Path,
    pub data_dir: &'a Path,
    pub database: Option<&'a str>,
    /// More settings for the child, as `ZENALTO__…` variables (e.g. S3 storage).
    pub env: &'a [(String, String)],
}

impl Target<'_> {
    /// `zenalto` with this target's environment; the child's stderr goes to `log`.
    fn command(&self, log: &Path) -> anyhow::Result<Command> {
        let stderr = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut command = Command::new(self.exe);
        command
            .env("ZENALTO__DATA_DIR", self.data_dir)
            .env("ZENALTO__LOG__LEVEL", "warn")
            .env("ZENALTO__RATE_LIMIT__ENABLED", "false")
            .env_remove("ZENALTO__DATABASE__URL")
            .env_remove("ZENALTO_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        if let Some(url) = self.database {
            command.env("ZENALTO__DATABASE__URL", url);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        Ok(command)
    }

    fn log_path(&self, name: &str) -> PathBuf {
        self.data_dir.join(format!("bench-{name}.log"))
    }

    /// `zenalto admin create-user` (a verified user owning a workspace), password on stdin.
    pub fn create_user(&self) -> anyhow::Result<()> {
        let log = self.log_path("create-user");
        let mut child = self
            .command(&log)?
            .args(["admin", "create-user", "--email", EMAIL, "--name", "Bench"])
            .stdin(Stdio::piped())
            .spawn()
            .context("cannot run zenalto admin create-user")?;
        let mut stdin = child.stdin.take().context("no stdin for zenalto admin create-user")?;
        stdin.write_all(format!("{PASSWORD}\n").as_bytes()).context("cannot write the password")?;
        drop(stdin);
        let status = child.wait().context("zenalto admin create-user did not finish")?;
        if !status.success() {
            bail!("zenalto admin create-user failed ({status}): {}", tail(&log));
        }
        Ok(())
    }

    /// Starts `zenalto serve` with workers and returns it with the time from spawning the
    /// process until `GET /ready` answered 200.
    pub async fn serve(&self) -> anyhow::Result<(Server, Duration)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").context("no free port")?.local_addr()?.port();
        let base = format!("http://127.0.0.1:{port}");
        let ready_url = format!("{base}/ready");
        let log = self.log_path("serve");
        let mut command = self.command(&log)?;
        command.args(["serve", "--bind", &format!("127.0.0.1:{port}")]);
        let client = reqwest::Client::builder().timeout(START_TIMEOUT).build()?;

        let started = Instant::now();
        let child = command.spawn().context("cannot start zenalto serve")?;
        let mut server = Server { child, base, log };
        while started.elapsed() < START_TIMEOUT {
            // Until the process listens the connection is refused at once; after that the request
            // waits in the listen backlog until the router serves it, so no readiness is missed.
            if let Ok(response) = client.get(&ready_url).send().await
                && response.status().is_success()
            {
                return Ok((server, started.elapsed()));
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("zenalto serve exited during start-up ({status}): {}", tail(&server.log));
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        bail!("zenalto serve did not become ready within {START_TIMEOUT:?}: {}", tail(&server.log))
    }
}

/// A running `zenalto serve`; killed when dropped without [`Server::stop`].
pub struct Server {
    child: Child,
    pub base: String,
    log: PathBuf,
}

/// Resident memory of a process, from `/proc/<pid>/status`.
pub struct Memory {
    /// VmRSS: resident now.
    pub rss_kib: u64,
    /// VmHWM: the most that was ever resident.
    pub peak_kib: u64,
}

impl Server {
    pub fn memory(&self) -> anyhow::Result<Memory> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path} (the benchmark needs Linux)"))?;
        let field = |name: &str| -> anyhow::Result<u64> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|value| value.split_whitespace().next()?.parse().ok())
                .with_context(|| format!("no {name} in {path}"))
        };
        Ok(Memory { rss_kib: field("VmRSS:")?, peak_kib: field("VmHWM:")? })
    }

    /// CPU time (user + system, all threads) the server has used so far.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds(&self.child.id().to_string())
    }

    /// Graceful stop: SIGTERM, then wait for the process to drain and exit.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        stop_child(&mut self.child, &self.log, "zenalto serve", STOP_TIMEOUT).await
    }
}

/// SIGTERM a child `zenalto` process and wait for it to exit cleanly within `timeout`.
pub(super) async fn stop_child(child: &mut Child, log: &Path, what: &str, timeout: Duration) -> anyhow::Result<()> {
    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status().context("cannot run kill")?;
    if !sent.success() {
        bail!("kill -TERM {pid} failed");
    }
    let asked = Instant::now();
    while asked.elapsed() < timeout {
        if let Some(status) = child.try_wait()? {
            if !status.success() {
                bail!("{what} exited with {status}: {}", tail(log));
            }
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    bail!("{what} did not stop within {timeout:?} of SIGTERM")
}

/// Kills a child that is still running (a benchmark that fails must not leave servers behind).
pub(super) fn kill_child(child: &mut Child) {
    if matches!(child.try_wait(), Ok(None)) {
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        kill_child(&mut self.child);
    }
}

/// CPU time (user + system, all threads) of a process, from `/proc/<pid>/stat` ("self" for
/// this process). The kernel reports it in USER_HZ ticks, which Linux fixes at 100 per second.
pub fn cpu_seconds(pid: &str) -> anyhow::Result<f64> {
    const TICKS_PER_SEC: f64 = 100.0;
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path} (the benchmark needs Linux)"))?;
    // Fields after the parenthesised command name, starting with the state (field 3):
    // utime is field 14 and stime field 15.
    let (_, rest) = stat.rsplit_once(')').with_context(|| format!("unexpected {path}"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> anyhow::Result<f64> {
        let field = fields.get(i).with_context(|| format!("unexpected {path}"))?;
        Ok(field.parse::<u64>().with_context(|| format!("unexpected {path}"))? as f64)
    };
    Ok((ticks(11)? + ticks(12)?) / TICKS_PER_SEC)
}

/// The last lines of a child's log, for error messages.
pub(super) fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(10)..].join("\n");
    if tail.is_empty() { "(no output)".to_owned() } else { tail }
}

/// Fresh PostgreSQL databases, one per server, so cold starts include every migration; all are
/// dropped again by [`Databases::drop_all`].
pub struct Databases {
    admin: sqlx::PgConnection,
    admin_url: reqwest::Url,
    created: Vec<String>,
}

impl Databases {
    pub async fn connect(admin_url: &str) -> anyhow::Result<Self> {
        let parsed = reqwest::Url::parse(admin_url).context("the PostgreSQL URL is not a URL")?;
        let admin = sqlx::PgConnection::connect(admin_url).await.context("cannot connect to PostgreSQL")?;
        Ok(Self { admin, admin_url: parsed, created: Vec::new() })
    }

    /// Creates an empty database and returns its URL.
    pub async fn create(&mut self) -> anyhow::Result<String> {
        let name = format!("zenalto_bench_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut self.admin)
            .await
            .with_context(|| format!("cannot create database {name} (the role needs CREATEDB)"))?;
        self.created.push(name.clone());
        let mut url = self.admin_url.clone();
        url.set_path(&format!("/{name}"));
        Ok(url.into())
    }

    /// Drops every database created, retrying a few times: after a bulk insert an autovacuum
    /// worker may still be connected, and a role without `pg_signal_backend` cannot end it.
    pub async fn drop_all(mut self) -> anyhow::Result<()> {
        let mut failed = Vec::new();
        for name in std::mem::take(&mut self.created) {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let mut tries = 0;
            while let Err(error) = sqlx::query(sqlx::AssertSqlSafe(drop.clone())).execute(&mut self.admin).await {
                tries += 1;
                if tries == 10 {
                    failed.push(format!("{name}: {error}"));
                    break;
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
        self.admin.close().await.context("cannot close the PostgreSQL connection")?;
        if !failed.is_empty() {
            bail!("cannot drop benchmark databases: {}", failed.join("; "));
        }
        Ok(())
    }
}
