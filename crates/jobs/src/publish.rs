//! The publishing loop of one worker process: claim due jobs in batches, run each batch (prepared
//! and recorded together, network calls in parallel) under a global and a per-account concurrency
//! limit, keep their leases alive, and rescue the jobs of workers that died. It sleeps until the nearest due job, a post scheduled in this process, a
//! PostgreSQL NOTIFY from another process, or the one-second poll — whichever comes first — so
//! a due job starts within a second, not on a minute-long tick.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::StreamExt;
use tokio::{sync::Semaphore, task::JoinSet};
use tokio_util::sync::CancellationToken;
use crate::budget::Budgets;
use zenalto_domain::JobId;
use zenalto_services::{Services, publishing::worker::JobOutcome};

/// The longest sleep between looks at the queue (jobs scheduled by other processes on SQLite,
/// or a NOTIFY that was missed).
const POLL: Duration = Duration::from_secs(1);

pub async fn run(services: Services, shutdown: CancellationToken, wakeup: Arc<tokio::sync::Notify>) {
    let owner = worker_name();
    tracing::info!(%owner, "publishing worker started");
    let settings = services.settings.publishing.clone();
    let global = Arc::new(Semaphore::new(settings.concurrency.max(1)));
    let per_account: Arc<Mutex<HashMap<String, Arc<Semaphore>>>> = Arc::default();
    let budgets = Budgets::new(settings.per_account_per_minute, &settings.per_network_per_minute);
    let mut running = JoinSet::new();
    let working = Working::default();
    let leases = tokio::spawn(keep_leases(services.clone(), owner.clone(), working.clone(), shutdown.clone()));

    loop {
        while running.try_join_next().is_some() {}
        let free = global.available_permits();
        let mut claimed = 0;
        if free > 0 {
            match services.claim_jobs(&owner, i64::try_from(free.min(usize::try_from(settings.claim_batch.max(1)).unwrap_or(1))).unwrap_or(1)).await {
                Ok(jobs) => {
                    claimed = jobs.len();
                    if claimed > 0 {
                        let Ok(permits) = global.clone().acquire_many_owned(u32::try_from(claimed).unwrap_or(u32::MAX)).await else { break };
                        let holding = working.hold(jobs.iter().map(|j| j.id));
                        let (services, owner, gates) = (services.clone(), owner.clone(), per_account.clone());
                        let per_account_limit = settings.per_account_concurrency;
                        let budgets = budgets.clone();
                        running.spawn(async move {
                            let (_permits, _holding) = (permits, holding);
                            run_batch(&services, &owner, jobs, &gates, per_account_limit, &budgets).await;
                        });
                    }
                }
                Err(error) => tracing::error!(%error, "could not claim jobs"),
            }
        }
        if claimed > 0 && global.available_permits() > 0 {
            // A full batch suggests more are due: look again at once.
            continue;
        }
        let sleep = match services.next_job_due().await {
            Ok(Some(due)) => Duration::from_millis(u64::try_from(due.as_millis() - services.now().as_millis()).unwrap_or(0)).min(POLL),
            _ => POLL,
        };
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = wakeup.notified() => {}
            _ = services.publish_wakeup.notified() => {}
            _ = tokio::time::sleep(sleep.max(Duration::from_millis(5))) => {}
            Some(_) = running.join_next(), if !running.is_empty() => {}
        }
    }
    // Let calls in flight finish (their outcome must be recorded); anything still running when
    // the process is killed is rescued by another worker once its lease expires.
    while running.join_next().await.is_some() {}
    leases.abort();
    tracing::info!(%owner, "publishing worker stopped");
}

/// Runs a claimed batch: prepared together, network calls in parallel within the per-account
/// budget, outcomes recorded in chunks as they arrive (so one slow call does not hold back the
/// record of the others).
async fn run_batch(
    services: &Services,
    owner: &str,
    jobs: Vec<zenalto_store::queue::JobRow>,
    gates: &Mutex<HashMap<String, Arc<Semaphore>>>,
    per_account_limit: usize,
    budgets: &Budgets,
) {
    let prepared = match services.prepare_batch(jobs, owner).await {
        Ok(prepared) => prepared,
        // The jobs stay leased; once their leases run out they are rescued and retried.
        Err(error) => return tracing::error!(%error, "a claimed batch could not be prepared; it will be retried after its leases expire"),
    };
    for job in prepared.one_by_one {
        let job_id = job.id;
        let account = job.account_id.clone().unwrap_or_default();
        let gate = account_gate(gates, account.clone(), per_account_limit);
        let _turn = gate.acquire_owned().await;
        budgets.wait_turn(job.network.as_deref().unwrap_or_default(), &account).await;
        match services.run_job(job, owner).await {
            Ok(JobOutcome::Failed { reason }) => tracing::warn!(%job_id, %reason, "publish failed for good"),
            Ok(outcome) => tracing::debug!(%job_id, ?outcome, "job ran"),
            Err(error) => tracing::error!(%job_id, %error, "job could not run; it will be retried after its lease expires"),
        }
    }
    // Each call runs as a task of its own, so it keeps going (and gives back any connection it
    // holds, like the sandbox's write transaction) while a chunk of outcomes is being recorded.
    // Polled from one stream instead, the calls would be frozen during `record_batch`, and one
    // frozen holding SQLite's only writer connection would make it wait for the pool timeout.
    let mut calls = JoinSet::new();
    for ready in prepared.ready {
        let gate = account_gate(gates, ready.account_key(), per_account_limit);
        let (budgets, network, account) = (budgets.clone(), ready.network_key(), ready.account_key());
        let services = services.clone();
        calls.spawn(async move {
            let _turn = gate.acquire_owned().await;
            budgets.wait_turn(&network, &account).await;
            let result = services.call_network(&ready).await;
            (ready, result)
        });
    }
    let mut results = futures::stream::poll_fn(|cx| calls.poll_join_next(cx))
        .filter_map(|joined| {
            std::future::ready(match joined {
                Ok(outcome) => Some(outcome),
                Err(error) => {
                    tracing::error!(%error, "a network call's task failed; its attempt stays pending and is verified once the lease expires");
                    None
                }
            })
        })
        .ready_chunks(RECORD_CHUNK);
    while let Some(chunk) = results.next().await {
        match services.record_batch(chunk, owner).await {
            Ok(outcomes) => {
                for outcome in outcomes.iter().filter(|o| matches!(o, JobOutcome::Failed { .. })) {
                    tracing::warn!(?outcome, "publish failed for good");
                }
            }
            // Attempts stay pending: after the leases expire, the next run verifies them with the network.
            Err(error) => tracing::error!(%error, "outcomes could not be recorded; they will be verified and recorded after the leases expire"),
        }
    }
}

/// Outcomes recorded per transaction on the batch path.
const RECORD_CHUNK: usize = 128;

fn account_gate(gates: &Mutex<HashMap<String, Arc<Semaphore>>>, account: String, limit: usize) -> Arc<Semaphore> {
    let mut gates = gates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    gates.entry(account).or_insert_with(|| Arc::new(Semaphore::new(limit.max(1)))).clone()
}

/// The jobs this worker is working on: the only leases its heartbeat extends. A batch's jobs
/// are held until the batch's task ends, so a job whose run failed (its outcome could not be
/// recorded) is let go with the others and rescued once its lease expires.
#[derive(Clone, Default)]
struct Working(Arc<Mutex<HashSet<JobId>>>);

impl Working {
    fn hold(&self, jobs: impl Iterator<Item = JobId>) -> Holding {
        let jobs: Vec<JobId> = jobs.collect();
        self.lock().extend(jobs.iter().copied());
        Holding { working: self.clone(), jobs }
    }

    fn ids(&self) -> Vec<JobId> {
        self.lock().iter().copied().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<JobId>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Lets go of a batch's jobs when dropped.
struct Holding {
    working: Working,
    jobs: Vec<JobId>,
}

impl Drop for Holding {
    fn drop(&mut self) {
        let mut working = self.working.lock();
        for job in &self.jobs {
            working.remove(job);
        }
    }
}

/// Extends the leases of the jobs this worker is working on, and rescues the jobs of workers
/// whose leases ran out.
async fn keep_leases(services: Services, owner: String, working: Working, shutdown: CancellationToken) {
    let every = Duration::from_secs(u64::try_from(services.settings.publishing.lease_secs.max(3) / 3).unwrap_or(1));
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => {
                if let Err(error) = services.heartbeat_jobs(&owner, &working.ids()).await {
                    tracing::warn!(%error, "heartbeat failed");
                }
                if let Err(error) = services.rescue_expired_jobs().await {
                    tracing::warn!(%error, "rescue of expired leases failed");
                }
            }
        }
    }
}

/// Unique per process: host, pid and a random suffix (a restarted process never inherits leases).
fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
    format!("{host}-{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8])
}
