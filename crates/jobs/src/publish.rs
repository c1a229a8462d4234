//! The publishing loop of one worker process: claim due jobs in batches, run each under a global
//! and a per-account concurrency limit, keep their leases alive, and rescue the jobs of workers
//! that died. It sleeps until the nearest due job, a post scheduled in this process, a
//! PostgreSQL NOTIFY from another process, or the one-second poll — whichever comes first — so
//! a due job starts within a second, not on a minute-long tick.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{sync::Semaphore, task::JoinSet};
use tokio_util::sync::CancellationToken;
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
    let mut running = JoinSet::new();
    let leases = tokio::spawn(keep_leases(services.clone(), owner.clone(), shutdown.clone()));

    loop {
        while running.try_join_next().is_some() {}
        let free = global.available_permits();
        let mut claimed = 0;
        if free > 0 {
            match services.claim_jobs(&owner, i64::try_from(free.min(usize::try_from(settings.claim_batch.max(1)).unwrap_or(1))).unwrap_or(1)).await {
                Ok(jobs) => {
                    claimed = jobs.len();
                    for job in jobs {
                        let Ok(permit) = global.clone().acquire_owned().await else { break };
                        let account_gate = account_gate(&per_account, job.account_id.clone().unwrap_or_default(), settings.per_account_concurrency);
                        let services = services.clone();
                        let owner = owner.clone();
                        running.spawn(async move {
                            let _permit = permit;
                            let _account = account_gate.acquire_owned().await;
                            let job_id = job.id;
                            match services.run_job(job, &owner).await {
                                Ok(JobOutcome::Failed { reason }) => tracing::warn!(%job_id, %reason, "publish failed for good"),
                                Ok(outcome) => tracing::debug!(%job_id, ?outcome, "job ran"),
                                // The job stays leased; once the lease runs out it is rescued and retried.
                                Err(error) => tracing::error!(%job_id, %error, "job could not run; it will be retried after its lease expires"),
                            }
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

fn account_gate(gates: &Mutex<HashMap<String, Arc<Semaphore>>>, account: String, limit: usize) -> Arc<Semaphore> {
    let mut gates = gates.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    gates.entry(account).or_insert_with(|| Arc::new(Semaphore::new(limit.max(1)))).clone()
}

/// Extends this worker's leases and rescues the jobs of workers whose leases ran out.
async fn keep_leases(services: Services, owner: String, shutdown: CancellationToken) {
    let every = Duration::from_secs(u64::try_from(services.settings.publishing.lease_secs.max(3) / 3).unwrap_or(1));
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => {
                if let Err(error) = services.heartbeat_jobs(&owner).await {
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
