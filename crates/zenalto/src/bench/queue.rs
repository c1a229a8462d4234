//! `zenalto bench queue`: how fast the publishing queue dispatches, and how late posts go out.
//!
//! Each measurement gets a fresh database (a SQLite file in a new data folder, or a new
//! PostgreSQL database). This process applies the migrations and bulk-inserts the posts (one
//! target and one queued job each, `store::queue::bulk`) with due times far in the future. It
//! then starts real `zenalto worker` processes, whose sandbox network runs in `discard` mode (an
//! instant fake network that stores nothing; benchmark use only). Once they are up and idle, one
//! statement moves every due time so the posts fall due at a chosen instant T, as at the top of
//! the hour:
//! - *burst*: all posts due at T; publishes/s is how fast the backlog drains;
//! - *minute*: the posts due evenly over `--spread-secs` after T; lateness shows whether the
//!   workers keep up.
//!
//! Lateness is `published_at − scheduled_at` of every target, both written by the processes on
//! this machine's clock. The *claim-only ceiling* runs the queue's own statements in in-process
//! loops (claim a batch, finish it) with no publishing work between, in the same run.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use serde::Serialize;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, posts::PostContent};
use zenalto_services::{Clock, Services};
use zenalto_settings::Settings;
use zenalto_store::{
    Db, StoreError,
    queue::{self, batch, bulk},
    repo::{social_accounts, workspaces},
};

use super::{
    load::percentile,
    server::{self, tail},
};

#[derive(clap::Args)]
pub struct QueueArgs {
    /// sqlite (a fresh file per measurement) or postgres (a fresh database per measurement,
    /// created through --database-url, whose role needs CREATEDB; dropped afterwards).
    #[arg(long, alias = "database", default_value = "sqlite", value_parser = ["sqlite", "postgres"])]
    backend: String,
    /// PostgreSQL URL used to create and drop the benchmark databases.
    #[arg(long, env = "ZENALTO__DATABASE__URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Posts per measurement.
    #[arg(long, default_value_t = 100_000)]
    posts: usize,
    /// Numbers of `zenalto worker` processes to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    workers: Vec<usize>,
    /// Sandbox accounts the posts are spread over (each has its own concurrency limit).
    #[arg(long, default_value_t = 100)]
    accounts: usize,
    /// The minute phase: posts fall due evenly over this many seconds (0 skips the phase).
    #[arg(long, default_value_t = 60)]
    spread_secs: u64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// Due times are written this far ahead, then moved to T once the workers are idle.
const PARKED_MILLIS: i64 = 7 * 86_400 * 1000;
/// Workers are started this long before the due times are moved: enough to connect, migrate
/// (a no-op) and go idle.
const WARM_UP: Duration = Duration::from_millis(2_500);
/// T is this far after the move starts: moving 100,000 due times takes PostgreSQL about 3 s here.
const RELEASE_LEAD_SECS: i64 = 6;
/// Posts per transaction of the bulk insert.
const INSERT_TX_POSTS: usize = 10 * bulk::CHUNK;
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Serialize)]
struct Report {
    version: &'static str,
    backend: String,
    cpus: usize,
    posts: usize,
    accounts: usize,
    /// The batch a worker claims: `publishing.claim_batch`.
    claim_size: i64,
    insert_posts_per_sec: f64,
    runs: Vec<Run>,
    ceilings: Vec<Ceiling>,
}

#[derive(Serialize)]
struct Run {
    workers: usize,
    phase: &'static str,
    spread_secs: u64,
    published: usize,
    /// Targets that did not end published (should be none).
    not_published: i64,
    /// Published targets per second, from T until the last one was published.
    publishes_per_sec: f64,
    lateness_p50_ms: f64,
    lateness_p99_ms: f64,
    lateness_max_ms: f64,
    /// CPU of the worker processes during the run, in cores. The database server's is not included.
    worker_cpu_cores: f64,
    /// CPU busy on the whole machine during the run, in cores: workers, the database server,
    /// this process, and anything else running.
    machine_cpu_cores: f64,
    /// PostgreSQL: transactions committed in the benchmark database per published post
    /// (including this process's polling, 4 read-only transactions a second).
    #[serde(skip_serializing_if = "Option::is_none")]
    transactions_per_publish: Option<f64>,
    /// How long before T the due times were moved (negative: after T, the run started late).
    release_margin_ms: i64,
}

#[derive(Serialize)]
struct Ceiling {
    loops: usize,
    /// "per job": one commit for the claim, then one per finished job (the one-by-one path);
    /// "per batch": one commit for the claim, one for finishing the batch (the batch path).
    finish: &'static str,
    jobs_per_sec: f64,
}

pub async fn run(args: QueueArgs) -> anyhow::Result<()> {
    let mut databases = match args.backend.as_str() {
        "sqlite" => None,
        "postgres" => {
            let url = args.database_url.as_deref().context("--backend postgres needs --database-url or ZENALTO__DATABASE__URL")?;
            Some(server::Databases::connect(url).await?)
        }
        other => bail!("unknown backend {other}; use sqlite or postgres"),
    };
    let measured = measure(&args, databases.as_mut()).await;
    // The figures are printed before the clean-up, so a database that cannot be dropped does
    // not cost the run.
    if let Ok(report) = &measured {
        if args.json {
            println!("{}", serde_json::to_string(report).context("cannot render the report")?);
        } else {
            print_table(report);
        }
    }
    if let Some(databases) = databases {
        databases.drop_all().await?;
    }
    measured.map(drop)
}

async fn measure(args: &QueueArgs, mut databases: Option<&mut server::Databases>) -> anyhow::Result<Report> {
    let exe = std::env::current_exe().context("cannot find the zenalto executable")?;
    // The workers' publishing settings (defaults, then ZENALTO__PUBLISHING__… from the
    // environment, which reaches the worker processes too), so the claim-only loops claim what
    // a worker claims.
    let publishing = Settings::load(None)?.publishing;
    let claim_size = publishing.claim_batch.max(1);
    let mut runs = Vec::new();
    let mut insert_rates = Vec::new();
    for &workers in &args.workers {
        let mut phases = vec![("burst", 0)];
        if args.spread_secs > 0 {
            phases.push(("minute", args.spread_secs));
        }
        for (phase, spread_secs) in phases {
            let fixture = Fixture::create(databases.as_deref_mut(), args.accounts).await?;
            insert_rates.push(fixture.insert(args.posts, spread_secs).await?);
            runs.push(fixture.run_workers(&exe, workers, phase, spread_secs, args.posts).await?);
            fixture.close().await;
        }
    }
    let mut ceilings = Vec::new();
    for &loops in &args.workers {
        for finish in ["per job", "per batch"] {
            let fixture = Fixture::create(databases.as_deref_mut(), args.accounts).await?;
            insert_rates.push(fixture.insert(args.posts, 0).await?);
            ceilings.push(fixture.claim_only(loops, finish, claim_size, args.posts).await?);
            fixture.close().await;
        }
    }
    insert_rates.sort_by(f64::total_cmp);
    Ok(Report {
        version: env!("CARGO_PKG_VERSION"),
        backend: args.backend.clone(),
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        posts: args.posts,
        accounts: args.accounts,
        claim_size,
        insert_posts_per_sec: insert_rates.get(insert_rates.len() / 2).copied().unwrap_or(0.0),
        runs,
        ceilings,
    })
}

/// A fresh database with one workspace and its sandbox accounts.
struct Fixture {
    dir: tempfile::TempDir,
    settings: Settings,
    services: Services,
    workspace: WorkspaceId,
    accounts: Vec<AccountId>,
}

impl Fixture {
    async fn create(databases: Option<&mut server::Databases>, accounts: usize) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("cannot create a temporary data folder")?;
        let mut settings = Settings { data_dir: dir.path().to_owned(), ..Settings::default() };
        if let Some(databases) = databases {
            settings.database.url = Secret::new(databases.create().await?);
        }
        // Migrations and secrets, once, before any worker process starts on the same folder.
        let services = zenalto_server::prepare(&settings, Clock::system()).await?;
        let workspace = WorkspaceId::new();
        let now = Timestamp::now();
        let mut tx = services.db.begin().await?;
        workspaces::insert(&mut tx, workspace, "Queue benchmark", &format!("bench-{}", workspace.to_string().replace('-', "")), now).await?;
        let mut ids = Vec::with_capacity(accounts);
        for n in 0..accounts.max(1) {
            let row = social_accounts::SocialAccountRow {
                id: AccountId::new(),
                workspace_id: workspace,
                network: "sandbox".into(),
                handle: format!("bench{n}"),
                display_name: format!("Bench {n}"),
                posting_slots: None,
                throttled_until: None,
                created_at: now,
                platform_account_id: None,
                instance_url: None,
                token_expires_at: None,
                scopes: None,
                health: "active".into(),
                last_error: None,
            };
            social_accounts::insert(&mut tx, &row).await?;
            ids.push(row.id);
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Self { dir, settings, services, workspace, accounts: ids })
    }

    /// Inserts `posts` posts, round-robin over the accounts, parked far ahead and spread over
    /// `spread_secs`; returns posts inserted per second.
    async fn insert(&self, posts: usize, spread_secs: u64) -> anyhow::Result<f64> {
        let content = serde_json::to_string(&PostContent { text: "Queue benchmark post".into(), ..PostContent::default() })?;
        let common = bulk::Common { workspace: self.workspace, author: None, network: "sandbox", content: &content, max_attempts: 6 };
        let parked = Timestamp::now().as_millis() + PARKED_MILLIS;
        let spread = i64::try_from(spread_secs * 1000).unwrap_or(0);
        let count = i64::try_from(posts.max(1)).unwrap_or(i64::MAX);
        let rows: Vec<bulk::ScheduledPost> = (0..posts)
            .map(|n| {
                let offset = i64::try_from(n).unwrap_or(0) * spread / count;
                bulk::ScheduledPost { account_id: self.accounts[n % self.accounts.len()], run_at: Timestamp::from_millis(parked + offset) }
            })
            .collect();
        let started = Instant::now();
        for chunk in rows.chunks(INSERT_TX_POSTS) {
            let mut tx = self.services.db.begin().await?;
            bulk::insert_scheduled(&mut tx, &common, chunk, Timestamp::now()).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        let rate = posts as f64 / started.elapsed().as_secs_f64();
        let mut tx = self.services.db.begin().await?;
        bulk::analyze(&mut tx).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(rate)
    }

    /// Moves every queued job so that the earliest falls due at `at`.
    async fn release(&self, at: Timestamp) -> anyhow::Result<()> {
        let mut conn = self.services.db.read().await?;
        let earliest = queue::next_due(&mut conn).await?.context("nothing is queued")?;
        drop(conn);
        let mut tx = self.services.db.begin().await?;
        bulk::shift_due(&mut tx, self.workspace, at.as_millis() - earliest.as_millis()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn transactions(&self) -> anyhow::Result<Option<i64>> {
        let mut conn = self.services.db.read().await?;
        Ok(bulk::transactions_committed(&mut conn, self.services.db.backend()).await?)
    }

    async fn run_workers(&self, exe: &Path, count: usize, phase: &'static str, spread_secs: u64, posts: usize) -> anyhow::Result<Run> {
        let mut workers = Vec::with_capacity(count);
        for n in 0..count.max(1) {
            workers.push(Worker::start(exe, &self.settings, &self.dir.path().join(format!("worker-{n}.log")))?);
        }
        tokio::time::sleep(WARM_UP).await;
        for worker in &mut workers {
            if let Some(status) = worker.child.try_wait()? {
                bail!("zenalto worker exited during start-up ({status}): {}", tail(&worker.log));
            }
        }
        let at = Timestamp::now().plus_seconds(RELEASE_LEAD_SECS);
        self.release(at).await?;
        let release_margin_ms = at.as_millis() - Timestamp::now().as_millis();
        // Counters from T on (the workers were idle until then).
        tokio::time::sleep(Duration::from_millis(u64::try_from(release_margin_ms).unwrap_or(0))).await;
        let (cpu_before, machine_before, measured) = (cpu_of(&workers)?, machine_busy_seconds()?, Instant::now());
        let transactions_before = self.transactions().await?;
        // Generous: even at 200 publishes/s the run ends; slower than that is a failure.
        let deadline = Instant::now() + Duration::from_secs(spread_secs + 60 + u64::try_from(posts / 200).unwrap_or(0));
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let mut conn = self.services.db.read().await?;
            if !bulk::any_outstanding(&mut conn).await? {
                break;
            }
            if Instant::now() > deadline {
                let left = bulk::outstanding(&mut conn).await?;
                bail!("{left} jobs still queued or running at the deadline; worker log: {}", tail(&workers[0].log));
            }
        }
        let window = measured.elapsed().as_secs_f64();
        let (worker_cores, machine_cores) = ((cpu_of(&workers)? - cpu_before) / window, (machine_busy_seconds()? - machine_before) / window);
        // PostgreSQL's statistics reach pg_stat_database within a second.
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        let transactions = self.transactions().await?.zip(transactions_before).map(|(after, before)| after - before);
        for worker in workers {
            worker.stop().await?;
        }
        let mut conn = self.services.db.read().await?;
        let times = bulk::published_times(&mut conn, self.workspace).await?;
        let not_published = bulk::target_counts(&mut conn, self.workspace).await?.into_iter().filter(|(s, _)| s != "published").map(|(_, n)| n).sum();
        let last = times.iter().map(|(_, published)| *published).max().unwrap_or(at.as_millis());
        let seconds = (last - at.as_millis()).max(1) as f64 / 1000.0;
        let mut lateness: Vec<f64> = times.iter().map(|(due, published)| (published - due) as f64).collect();
        lateness.sort_by(f64::total_cmp);
        Ok(Run {
            workers: count,
            phase,
            spread_secs,
            published: times.len(),
            not_published,
            publishes_per_sec: times.len() as f64 / seconds,
            lateness_p50_ms: percentile(&lateness, 0.50),
            lateness_p99_ms: percentile(&lateness, 0.99),
            lateness_max_ms: percentile(&lateness, 1.0),
            worker_cpu_cores: worker_cores,
            machine_cpu_cores: machine_cores,
            transactions_per_publish: transactions.map(|n| n as f64 / times.len().max(1) as f64),
            release_margin_ms,
        })
    }

    /// `loops` in-process loops, each on its own connection pool (as separate processes would
    /// be), claim `claim_size` due jobs and finish them, with no publishing work in between.
    async fn claim_only(&self, loops: usize, finish: &'static str, claim_size: i64, posts: usize) -> anyhow::Result<Ceiling> {
        self.release(Timestamp::now().plus_seconds(-1)).await?;
        let url = self.settings.database_url();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for n in 0..loops.max(1) {
            let db = Db::connect(&url, 2).await?;
            tasks.push(tokio::spawn(claim_loop(db, format!("bench-claim-{n}"), finish == "per batch", claim_size)));
        }
        let mut finished = 0;
        for task in tasks {
            finished += task.await.context("a claim loop panicked")??;
        }
        let seconds = started.elapsed().as_secs_f64();
        if finished != posts {
            bail!("the claim loops finished {finished} jobs of {posts}");
        }
        Ok(Ceiling { loops, finish, jobs_per_sec: finished as f64 / seconds })
    }

    async fn close(self) {
        self.services.db.close().await;
    }
}

async fn claim_loop(db: Db, owner: String, per_batch: bool, claim_size: i64) -> Result<usize, StoreError> {
    let mut finished = 0;
    loop {
        let now = Timestamp::now();
        let mut tx = db.begin().await?;
        let jobs = queue::claim(&mut tx, db.backend(), &owner, now, now.plus_seconds(60), claim_size).await?;
        tx.commit().await?;
        if jobs.is_empty() {
            db.close().await;
            return Ok(finished);
        }
        finished += jobs.len();
        if per_batch {
            let ids: Vec<_> = jobs.iter().map(|j| j.id).collect();
            let mut tx = db.begin().await?;
            batch::succeed_jobs(&mut tx, &ids, &owner).await?;
            tx.commit().await?;
        } else {
            for job in jobs {
                let mut tx = db.begin().await?;
                queue::succeed(&mut tx, job.id, &owner).await?;
                tx.commit().await?;
            }
        }
    }
}

/// A `zenalto worker` child process on the fixture's data folder and database, publishing to
/// the sandbox in `discard` mode. Any other `ZENALTO__…` variable in the environment reaches it.
struct Worker {
    child: Child,
    log: PathBuf,
}

impl Worker {
    fn start(exe: &Path, settings: &Settings, log: &Path) -> anyhow::Result<Self> {
        let file = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut command = Command::new(exe);
        command
            .arg("worker")
            .env("ZENALTO__DATA_DIR", &settings.data_dir)
            .env("ZENALTO__LOG__LEVEL", "warn")
            .env("ZENALTO__PUBLISHING__SANDBOX__DISCARD", "true")
            .env_remove("ZENALTO__DATABASE__URL")
            .env_remove("ZENALTO_CONFIG")
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file);
        if !settings.uses_embedded_database() {
            command.env("ZENALTO__DATABASE__URL", settings.database.url.expose());
        }
        let child = command.spawn().context("cannot start zenalto worker")?;
        Ok(Self { child, log: log.to_owned() })
    }

    /// Graceful stop: SIGTERM, then wait for the process to finish its round and exit.
    async fn stop(mut self) -> anyhow::Result<()> {
        server::stop_child(&mut self.child, &self.log, "zenalto worker", STOP_TIMEOUT).await
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        server::kill_child(&mut self.child);
    }
}

/// CPU seconds the whole machine has been busy (all CPUs, everything but idle and I/O wait),
/// from the first line of /proc/stat, in USER_HZ ticks (100 per second on Linux).
fn machine_busy_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/stat").context("cannot read /proc/stat (the benchmark needs Linux)")?;
    let ticks: Vec<f64> = stat.lines().next().unwrap_or_default().split_whitespace().skip(1).filter_map(|t| t.parse().ok()).collect();
    let (idle, iowait) = (ticks.get(3).copied().unwrap_or(0.0), ticks.get(4).copied().unwrap_or(0.0));
    Ok((ticks.iter().take(8).sum::<f64>() - idle - iowait) / 100.0)
}

fn cpu_of(workers: &[Worker]) -> anyhow::Result<f64> {
    workers.iter().map(|w| server::cpu_seconds(&w.child.id().to_string())).sum()
}

fn print_table(r: &Report) {
    println!(
        "zenalto {} bench queue — backend {}, {} CPUs, {} posts over {} sandbox accounts (discard mode), claims of {}",
        r.version, r.backend, r.cpus, r.posts, r.accounts, r.claim_size
    );
    println!("bulk insert (post + target + job, {} per statement): {:.0} posts/s (median)", bulk::CHUNK, r.insert_posts_per_sec);
    println!("workers  phase              published  not pub.  publishes/s  lateness p50 ms   p99 ms    max ms  CPU cores workers/machine  tx/publish  released early ms");
    for run in &r.runs {
        let phase = if run.spread_secs == 0 { "burst (all at T)".to_owned() } else { format!("over {} s", run.spread_secs) };
        let transactions = run.transactions_per_publish.map_or("-".to_owned(), |t| format!("{t:.3}"));
        println!(
            "  {:<6} {:<17} {:>10}  {:>8}  {:>11.0}  {:>15.0}  {:>7.0}  {:>8.0}  {:>12.2} / {:<11.2}  {:>10}  {:>17}",
            run.workers,
            phase,
            run.published,
            run.not_published,
            run.publishes_per_sec,
            run.lateness_p50_ms,
            run.lateness_p99_ms,
            run.lateness_max_ms,
            run.worker_cpu_cores,
            run.machine_cpu_cores,
            transactions,
            run.release_margin_ms
        );
    }
    println!("claim-only ceiling (in-process loops, claims of {}, no publishing work)", r.claim_size);
    for c in &r.ceilings {
        println!("  {} loop(s), finish {:<9}  {:>9.0} jobs/s", c.loops, c.finish, c.jobs_per_sec);
    }
}
