//! The leases of one worker process: which claimed jobs it is still working on, the heartbeat
//! that extends exactly those, and the rescue of jobs whose worker stopped holding them.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio_util::sync::CancellationToken;
use zenalto_domain::JobId;
use zenalto_services::Services;

/// The jobs this worker is working on: the only leases its heartbeat extends. A batch's jobs
/// are held until the batch's task ends, so a job whose run failed (its outcome could not be
/// recorded) is let go with the others and rescued once its lease expires.
#[derive(Clone, Default)]
pub(crate) struct Working(Arc<Mutex<HashSet<JobId>>>);

impl Working {
    pub(crate) fn hold(&self, jobs: impl Iterator<Item = JobId>) -> Holding {
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
pub(crate) struct Holding {
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
pub(crate) async fn keep_leases(services: Services, owner: String, working: Working, shutdown: CancellationToken) {
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
