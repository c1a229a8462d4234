//! `zenalto bench`: start-up time, idle memory and request throughput of the real binary.
//!
//! Everything is measured from the outside, as an operator would see it: this process starts
//! `zenalto serve` as a child on a fresh data folder, times until `/ready` answers, reads the
//! child's resident memory from /proc, and drives authenticated HTTP load over keep-alive
//! connections. Figures go to stdout; docs/benchmarks.md records runs and how to repeat them.
//! Tests never assert timings: speed is measured here. `zenalto bench queue` measures the
//! publishing queue instead (`bench/queue.rs`).

mod ai;
mod load;
mod media;
mod queue;
mod server;

use std::time::Duration;

use anyhow::{Context, bail};
use serde::Serialize;

use self::{
    load::{Load, Workload},
    server::{Databases, Target},
};

#[derive(clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: Option<Bench>,
    /// sqlite (a fresh file per server) or postgres (a fresh database per server, created through
    /// --database-url, whose role needs CREATEDB; the databases are dropped afterwards).
    #[arg(long, default_value = "sqlite", value_parser = ["sqlite", "postgres"])]
    backend: String,
    /// PostgreSQL URL used to create and drop the benchmark databases.
    #[arg(long, env = "ZENALTO__DATABASE__URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Authenticated reads (GET /api/v1/me); the write workload sends a fifth as many PATCHes.
    #[arg(long, default_value_t = 5000)]
    requests: usize,
    /// Concurrent clients, each on its own keep-alive connection.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Cold and warm starts to time.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand)]
enum Bench {
    /// Publishing queue: dispatch throughput and lateness with real `zenalto worker` processes,
    /// and the claim-only ceiling (see docs/benchmarks.md, "Publishing queue").
    Queue(queue::QueueArgs),
    /// Media library: upload throughput of generated images and a generated video, and probing,
    /// thumbnail and per-network derivative latency (see docs/benchmarks.md, "Media").
    Media(media::MediaArgs),
    /// AI: local-engine latency per operation and response-cache hit latency (see
    /// docs/benchmarks.md, "AI engine").
    Ai(ai::AiArgs),
}

#[derive(Serialize)]
struct Report {
    version: &'static str,
    backend: String,
    cpus: usize,
    starts: usize,
    cold_start_ms: Summary,
    warm_start_ms: Summary,
    idle: MemoryKib,
    after_load: MemoryKib,
    read: Load,
    write: Load,
}

#[derive(Serialize)]
struct Summary {
    median: f64,
    max: f64,
}

#[derive(Serialize)]
struct MemoryKib {
    rss_kib: u64,
    peak_kib: u64,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.what {
        Some(Bench::Queue(queue_args)) => return queue::run(queue_args).await,
        Some(Bench::Media(media_args)) => return media::run(media_args).await,
        Some(Bench::Ai(ai_args)) => return ai::run(ai_args).await,
        None => {}
    }
    let mut databases = match args.backend.as_str() {
        "sqlite" => None,
        "postgres" => {
            let url = args.database_url.as_deref().context("--backend postgres needs --database-url or ZENALTO__DATABASE__URL")?;
            Some(Databases::connect(url).await?)
        }
        other => bail!("unknown backend {other}; use sqlite or postgres"),
    };
    let measured = measure(&args, databases.as_mut()).await;
    if let Some(databases) = databases {
        databases.drop_all().await?;
    }
    let report = measured?;
    if args.json {
        println!("{}", serde_json::to_string(&report).context("cannot render the report")?);
    } else {
        print_table(&report);
    }
    Ok(())
}

async fn measure(args: &BenchArgs, mut databases: Option<&mut Databases>) -> anyhow::Result<Report> {
    let exe = std::env::current_exe().context("cannot find the zenalto executable")?;
    let starts = args.starts.max(1);

    // Start-up: cold on a fresh data folder (and database), then warm on the same one.
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..starts {
        let dir = tempfile::tempdir().context("cannot create a temporary data folder")?;
        let database = match databases.as_deref_mut() {
            Some(databases) => Some(databases.create().await?),
            None => None,
        };
        let target = Target { exe: &exe, data_dir: dir.path(), database: database.as_deref(), env: &[] };
        let (server, elapsed) = target.serve().await.context("cold start")?;
        cold.push(elapsed);
        server.stop().await?;
        let (server, elapsed) = target.serve().await.context("warm start")?;
        warm.push(elapsed);
        server.stop().await?;
    }

    // Memory and load: one server with a verified user made by `zenalto admin create-user`.
    let dir = tempfile::tempdir().context("cannot create a temporary data folder")?;
    let database = match databases {
        Some(databases) => Some(databases.create().await?),
        None => None,
    };
    let target = Target { exe: &exe, data_dir: dir.path(), database: database.as_deref(), env: &[] };
    target.create_user()?;
    let (server, _) = target.serve().await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency.max(1)).build()?;
    let token = load::login(&client, &server.base).await?;
    for _ in 0..20 {
        let response = client.get(format!("{}/api/v1/me", server.base)).bearer_auth(&token).send().await?;
        if !response.status().is_success() {
            bail!("GET /api/v1/me answered {}", response.status());
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = server.memory()?;

    let mut loads = Vec::new();
    for (workload, requests) in [(Workload::Read, args.requests), (Workload::Write, args.requests / 5)] {
        let (server_cpu, client_cpu) = (server.cpu_seconds()?, server::cpu_seconds("self")?);
        let mut load = load::run(&client, &server.base, &token, requests, args.concurrency, workload).await?;
        load.server_cpu_cores = (server.cpu_seconds()? - server_cpu) / load.seconds;
        load.client_cpu_cores = (server::cpu_seconds("self")? - client_cpu) / load.seconds;
        loads.push(load);
    }
    let (Some(write), Some(read)) = (loads.pop(), loads.pop()) else { bail!("a load did not run") };
    let after_load = server.memory()?;
    server.stop().await?;

    Ok(Report {
        version: env!("CARGO_PKG_VERSION"),
        backend: args.backend.clone(),
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        starts,
        cold_start_ms: summarise(&mut cold),
        warm_start_ms: summarise(&mut warm),
        idle: MemoryKib { rss_kib: idle.rss_kib, peak_kib: idle.peak_kib },
        after_load: MemoryKib { rss_kib: after_load.rss_kib, peak_kib: after_load.peak_kib },
        read,
        write,
    })
}

/// Median (the upper one for an even count) and maximum, in milliseconds.
fn summarise(samples: &mut [Duration]) -> Summary {
    samples.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    Summary { median: samples.get(samples.len() / 2).map_or(0.0, ms), max: samples.last().map_or(0.0, ms) }
}

fn print_table(r: &Report) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!("zenalto {} bench — backend {}, {} CPUs", r.version, r.backend, r.cpus);
    println!("start-up to /ready (spawn → 200), {} starts each", r.starts);
    println!("  cold (fresh data: migrations, new secrets)  median {:>7.1} ms   max {:>7.1} ms", r.cold_start_ms.median, r.cold_start_ms.max);
    println!("  warm (existing data)                        median {:>7.1} ms   max {:>7.1} ms", r.warm_start_ms.median, r.warm_start_ms.max);
    println!("memory (VmRSS / VmHWM peak)");
    println!("  idle, 2 s after login + 20 requests         {:>7.1} MiB / {:>5.1} MiB", mib(r.idle.rss_kib), mib(r.idle.peak_kib));
    println!("  after the loads below                       {:>7.1} MiB / {:>5.1} MiB", mib(r.after_load.rss_kib), mib(r.after_load.peak_kib));
    println!("authenticated load          requests  clients    req/s     p50 ms   p90 ms   p99 ms   max ms  errors  CPU cores server/bench");
    for l in [&r.read, &r.write] {
        println!(
            "  {:<24} {:>8}  {:>7}  {:>7.0}  {:>8.2} {:>8.2} {:>8.2} {:>8.2}  {:>6}  {:.2} / {:.2}",
            l.endpoint,
            l.requests,
            l.concurrency,
            l.requests_per_sec,
            l.p50_ms,
            l.p90_ms,
            l.p99_ms,
            l.max_ms,
            l.errors,
            l.server_cpu_cores,
            l.client_cpu_cores
        );
        if let Some(error) = &l.first_error {
            println!("    first error: {error}");
        }
    }
}
