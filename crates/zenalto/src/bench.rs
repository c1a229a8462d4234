//! `zenalto bench`: start-up time, idle memory and request throughput of the real binary.
//!
//! Everything is measured from the outside, as an operator would see it: this process starts
//! `zenalto serve` as a child on a fresh data folder, times until `/ready` answers, reads the
//! child's resident memory from /proc, and drives authenticated HTTP load over keep-alive
//! connections. Figures go to stdout; docs/benchmarks.md records a run and how to repeat it.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::json;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// sqlite (a fresh file per run) or postgres (needs --database-url or ZENALTO__DATABASE__URL).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// PostgreSQL URL of a database the benchmark may fill.
    #[arg(long, env = "ZENALTO__DATABASE__URL")]
    database_url: Option<String>,
    /// Requests per workload.
    #[arg(long, default_value_t = 5000)]
    requests: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Cold and warm starts to time.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    backend: String,
    cpus: usize,
    cold_start_ms: Summary,
    warm_start_ms: Summary,
    idle_rss_kib: u64,
    peak_rss_kib: u64,
    read: Load,
    write: Load,
    rss_after_load_kib: u64,
}

#[derive(Serialize)]
struct Summary {
    median: f64,
    max: f64,
}

#[derive(Serialize)]
struct Load {
    endpoint: &'static str,
    requests: usize,
    concurrency: usize,
    errors: usize,
    requests_per_sec: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

const EMAIL: &str = "bench@example.org";
const PASSWORD: &str = "benchmark password";

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let postgres = match args.backend.as_str() {
        "sqlite" => None,
        "postgres" => Some(args.database_url.clone().context("--backend postgres needs --database-url")?),
        other => bail!("unknown backend {other}; use sqlite or postgres"),
    };
    let exe = std::env::current_exe().context("cannot find the zenalto executable")?;

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..args.starts.max(1) {
        let dir = tempfile::tempdir()?;
        let database = fresh_database(postgres.as_deref()).await?;
        let (server, elapsed) = Server::start(&exe, dir.path(), database.as_deref()).await?;
        cold.push(elapsed);
        server.stop()?;
        let (server, elapsed) = Server::start(&exe, dir.path(), database.as_deref()).await?;
        warm.push(elapsed);
        server.stop()?;
    }

    let dir = tempfile::tempdir()?;
    let database = fresh_database(postgres.as_deref()).await?;
    create_user(&exe, dir.path(), database.as_deref())?;
    let (server, _) = Server::start(&exe, dir.path(), database.as_deref()).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build()?;
    let token = login(&client, &server.base).await?;
    for _ in 0..20 {
        client.get(format!("{}/api/v1/me", server.base)).bearer_auth(&token).send().await?;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (idle_rss, _) = server.memory()?;

    let read = load(&client, &server.base, &token, args.requests, args.concurrency, Workload::Read).await;
    let write = load(&client, &server.base, &token, args.requests / 5, args.concurrency, Workload::Write).await;
    let (rss_after, peak) = server.memory()?;
    server.stop()?;

    let report = Report {
        backend: args.backend.clone(),
        cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        cold_start_ms: summarise(&mut cold),
        warm_start_ms: summarise(&mut warm),
        idle_rss_kib: idle_rss,
        peak_rss_kib: peak,
        read,
        write,
        rss_after_load_kib: rss_after,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

/// A new, empty PostgreSQL database per server, so cold starts include every migration.
async fn fresh_database(admin_url: Option<&str>) -> anyhow::Result<Option<String>> {
    let Some(admin_url) = admin_url else { return Ok(None) };
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url).await.context("cannot connect to PostgreSQL")?;
    let name = format!("zenalto_bench_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await?;
    let (base, _) = admin_url.rsplit_once('/').context("the database URL needs a path")?;
    Ok(Some(format!("{base}/{name}")))
}

fn command(exe: &Path, data_dir: &Path, database: Option<&str>) -> Command {
    let mut command = Command::new(exe);
    command
        .env("ZENALTO__DATA_DIR", data_dir)
        .env("ZENALTO__LOG__LEVEL", "warn")
        .env("ZENALTO__RATE_LIMIT__ENABLED", "false")
        .env_remove("ZENALTO__DATABASE__URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(url) = database {
        command.env("ZENALTO__DATABASE__URL", url);
    }
    command
}

fn create_user(exe: &Path, data_dir: &Path, database: Option<&str>) -> anyhow::Result<()> {
    use std::io::Write;
    let mut child = command(exe, data_dir, database)
        .args(["admin", "create-user", "--email", EMAIL, "--name", "Bench"])
        .stdin(Stdio::piped())
        .spawn()?;
    child.stdin.take().context("stdin")?.write_all(format!("{PASSWORD}\n").as_bytes())?;
    if !child.wait()?.success() {
        bail!("admin create-user failed");
    }
    Ok(())
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `zenalto serve` and returns it with the time until `/ready` answered 200.
    async fn start(exe: &Path, data_dir: &Path, database: Option<&str>) -> anyhow::Result<(Self, Duration)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let started = Instant::now();
        let child = command(exe, data_dir, database).args(["serve", "--bind", &format!("127.0.0.1:{port}")]).spawn()?;
        let server = Self { child, base };
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(response) = client.get(format!("{}/ready", server.base)).send().await
                && response.status().is_success()
            {
                return Ok((server, started.elapsed()));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        bail!("the server did not become ready within 30 s")
    }

    /// (VmRSS, VmHWM) in KiB.
    fn memory(&self) -> anyhow::Result<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).context("cannot read /proc (Linux only)")?;
        let field = |name: &str| -> u64 {
            status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()?.parse().ok()).unwrap_or(0)
        };
        Ok((field("VmRSS:"), field("VmHWM:")))
    }

    fn stop(mut self) -> anyhow::Result<()> {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status()?;
        self.child.wait()?;
        Ok(())
    }
}

async fn login(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let session: serde_json::Value =
        client.post(format!("{base}/api/v1/auth/login")).json(&json!({ "email": EMAIL, "password": PASSWORD })).send().await?.json().await?;
    session["accessToken"].as_str().map(str::to_owned).context("login failed")
}

#[derive(Clone, Copy)]
enum Workload {
    /// GET /api/v1/me: authentication (JWT + session lookup) and two reads.
    Read,
    /// PATCH /api/v1/me: a write transaction with an audit row.
    Write,
}

async fn load(client: &reqwest::Client, base: &str, token: &str, requests: usize, concurrency: usize, workload: Workload) -> Load {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (client, next, url, token) = (client.clone(), next.clone(), format!("{base}/api/v1/me"), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < requests {
                let sent = Instant::now();
                let request = match workload {
                    Workload::Read => client.get(&url),
                    Workload::Write => client.patch(&url).json(&json!({ "name": format!("Bench {}", latencies.len()) })),
                };
                match request.bearer_auth(&token).send().await {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                    }
                    _ => errors += 1,
                }
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0;
    for task in tasks {
        if let Ok((l, e)) = task.await {
            latencies.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
    Load {
        endpoint: match workload {
            Workload::Read => "GET /api/v1/me",
            Workload::Write => "PATCH /api/v1/me",
        },
        requests: latencies.len(),
        concurrency,
        errors,
        requests_per_sec: latencies.len() as f64 / elapsed,
        p50_ms: at(0.5),
        p90_ms: at(0.9),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    }
}

fn summarise(samples: &mut [Duration]) -> Summary {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Summary { median: samples.get(samples.len() / 2).map_or(0.0, |d| ms(*d)), max: samples.last().map_or(0.0, |d| ms(*d)) }
}

fn print_table(r: &Report) {
    println!("zenalto bench — backend {}, {} CPUs", r.backend, r.cpus);
    println!("start-up to /ready    cold (fresh data, migrations, new secrets): median {:.0} ms, max {:.0} ms", r.cold_start_ms.median, r.cold_start_ms.max);
    println!("                      warm (existing data):                       median {:.0} ms, max {:.0} ms", r.warm_start_ms.median, r.warm_start_ms.max);
    println!("memory                idle RSS {:.1} MiB; after load {:.1} MiB; peak {:.1} MiB", kib(r.idle_rss_kib), kib(r.rss_after_load_kib), kib(r.peak_rss_kib));
    for l in [&r.read, &r.write] {
        println!(
            "{:<21} {} requests, {} clients: {:.0} req/s; p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} errors",
            l.endpoint, l.requests, l.concurrency, l.requests_per_sec, l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms, l.errors
        );
    }
}

fn kib(v: u64) -> f64 {
    v as f64 / 1024.0
}
