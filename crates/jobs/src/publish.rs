//! The publishing loop of one worker process: claim due jobs in batches and run each batch
//! (prepared and recorded together, network calls in parallel) under a global and a per-account
//! concurrency limit. It claims the next batch while one is in flight, so the database is never
//! idle while calls run. It sleeps until the nearest due job, a post scheduled in this process, a
//! PostgreSQL NOTIFY from another process, or the one-second poll — whichever comes first — so a
//! due job starts within a second, not on a minute-long tick. Leases: `leases.rs`.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{sync::Semaphore, task::JoinSet, time::Instant};
use tokio_util::sync::CancellationToken;
use zenalto_services::{
    Services,
    publishing::{batch::Ready, worker::JobOutcome},
};
use zenalto_store::queue::JobRow;

use crate::{
    budget::Budgets,
    leases::{Working, keep_leases},
};

/// The longest sleep between looks at the queue (jobs scheduled by other processes on SQLite,
/// or a NOTIFY that was missed).
const POLL: Duration = Duration::from_secs(1);

/// Claimed batches a worker holds at once: those whose calls are in flight or being recorded,
/// and the next. With two, one worker left a quarter of the machine idle in a burst (each batch
/// waits on its own chain of statements); with three it kept PostgreSQL busy (docs/benchmarks.md).
const BATCHES_HELD: usize = 3;

/// What every batch of one worker shares: the limits its calls run under.
#[derive(Clone)]
struct Limits {
    /// Network calls in flight in this process (`publishing.concurrency`).
    calls: Arc<Semaphore>,
    /// Calls in flight per account (`publishing.per_account_concurrency` each).
    accounts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    per_account: usize,
    budgets: Budgets,
}

impl Limits {
    /// Waits for this account's turn, then for a free call, then for the rate budgets.
    async fn turn(&self, account: &str, network: &str) -> Option<(tokio::sync::OwnedSemaphorePermit, tokio::sync::OwnedSemaphorePermit)> {
        let gate = {
            let mut gates = self.accounts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            gates.entry(account.to_owned()).or_insert_with(|| Arc::new(Semaphore::new(self.per_account.max(1)))).clone()
        };
        let account_turn = gate.acquire_owned().await.ok()?;
        let call = self.calls.clone().acquire_owned().await.ok()?;
        self.budgets.wait_turn(network, account).await;
        Some((account_turn, call))
    }
}

pub async fn run(services: Services, shutdown: CancellationToken, wakeup: Arc<tokio::sync::Notify>) {
    let owner = worker_name();
    tracing::info!(%owner, "publishing worker started");
    let settings = services.settings.publishing.clone();
    let claim_size = usize::try_from(settings.claim_batch.max(1)).unwrap_or(1);
    let limits = Limits {
        calls: Arc::new(Semaphore::new(settings.concurrency.max(1))),
        accounts: Arc::default(),
        per_account: settings.per_account_concurrency,
        budgets: Budgets::new(settings.per_account_per_minute, &settings.per_network_per_minute),
    };
    // Jobs claimed and not yet ended; a claim takes at most what is free.
    let claimable = Arc::new(Semaphore::new(claim_size * BATCHES_HELD));
    let mut running = JoinSet::new();
    let working = Working::default();
    let leases = tokio::spawn(keep_leases(services.clone(), owner.clone(), working.clone(), shutdown.clone()));

    loop {
        while running.try_join_next().is_some() {}
        let free = claimable.available_permits().min(claim_size);
        let mut claimed = 0;
        if free > 0 {
            match services.claim_jobs(&owner, i64::try_from(free).unwrap_or(1)).await {
                Ok(jobs) => {
                    claimed = jobs.len();
                    if claimed > 0 {
                        let Ok(permits) = claimable.clone().acquire_many_owned(u32::try_from(claimed).unwrap_or(u32::MAX)).await else { break };
                        let holding = working.hold(jobs.iter().map(|j| j.id));
                        let (services, owner, limits) = (services.clone(), owner.clone(), limits.clone());
                        running.spawn(async move {
                            let (_permits, _holding) = (permits, holding);
                            run_batch(&services, &owner, jobs, &limits).await;
                        });
                    }
                }
                Err(error) => tracing::error!(%error, "could not claim jobs"),
            }
        }
        if claimed == free && claimed > 0 && claimable.available_permits() > 0 {
            // A full claim suggests more are due: look again at once.
            continue;
        }
        // With no room to claim, only a batch ending (or the poll) can change anything, so the
        // queue is not asked when its next job falls due (in a burst that question is most of
        // the loop's database work).
        let sleep = if free == 0 {
            POLL
        } else {
            match services.next_job_due().await {
                Ok(Some(due)) => Duration::from_millis(u64::try_from(due.as_millis() - services.now().as_millis()).unwrap_or(0)).min(POLL),
                _ => POLL,
            }
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

/// Runs a claimed batch: prepared together, network calls in parallel within the limits, and
/// outcomes recorded together. Results that arrive within `RECORD_WINDOW` of the first one share
/// a transaction, so an instant network costs one commit per batch while one slow call does not
/// hold back the record of the others.
async fn run_batch(services: &Services, owner: &str, jobs: Vec<JobRow>, limits: &Limits) {
    let prepared = match services.prepare_batch(jobs, owner).await {
        Ok(prepared) => prepared,
        // The jobs are let go when this batch ends; once their leases run out they are rescued
        // and retried.
        Err(error) => return tracing::error!(%error, "a claimed batch could not be prepared; it will be retried after its leases expire"),
    };
    // Each call runs as a task of its own, so it keeps going (and gives back any connection it
    // holds, like the sandbox's write transaction) while outcomes are being recorded.
    let mut one_by_one = JoinSet::new();
    for job in prepared.one_by_one {
        let (services, owner, limits) = (services.clone(), owner.to_owned(), limits.clone());
        one_by_one.spawn(async move {
            let job_id = job.id;
            let Some(_turn) = limits.turn(job.account_id.as_deref().unwrap_or_default(), job.network.as_deref().unwrap_or_default()).await else { return };
            match services.run_job(job, &owner).await {
                Ok(JobOutcome::Failed { reason }) => tracing::warn!(%job_id, %reason, "publish failed for good"),
                Ok(outcome) => tracing::debug!(%job_id, ?outcome, "job ran"),
                Err(error) => tracing::error!(%job_id, %error, "job could not run; it will be retried after its lease expires"),
            }
        });
    }
    let mut calls = JoinSet::new();
    for ready in prepared.ready {
        let (services, limits) = (services.clone(), limits.clone());
        calls.spawn(async move {
            let _turn = limits.turn(&ready.account_key(), &ready.network_key()).await;
            let result = services.call_network(&ready).await;
            (ready, result)
        });
    }
    while let Some(chunk) = next_outcomes(&mut calls).await {
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
    while one_by_one.join_next().await.is_some() {}
}

/// How long outcomes that arrive after the first one of a chunk may join it.
const RECORD_WINDOW: Duration = Duration::from_millis(20);

type Outcome = (Ready, Result<zenalto_networks::Published, zenalto_networks::PublishError>);

/// The next outcomes to record together: the first to finish and those finishing within
/// `RECORD_WINDOW` of it. None once every call has been recorded.
async fn next_outcomes(calls: &mut JoinSet<Outcome>) -> Option<Vec<Outcome>> {
    let mut chunk = Vec::new();
    let mut deadline = None;
    loop {
        let joined = match deadline {
            None => calls.join_next().await,
            Some(at) => match tokio::time::timeout_at(at, calls.join_next()).await {
                Ok(joined) => joined,
                Err(_) => break,
            },
        };
        match joined {
            None => break,
            Some(Ok(outcome)) => chunk.push(outcome),
            Some(Err(error)) => tracing::error!(%error, "a network call's task failed; its attempt stays pending and is verified once the lease expires"),
        }
        deadline.get_or_insert_with(|| Instant::now() + RECORD_WINDOW);
    }
    (!chunk.is_empty()).then_some(chunk)
}

/// Unique per process: host, pid and a random suffix (a restarted process never inherits leases).
fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
    format!("{host}-{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8])
}
