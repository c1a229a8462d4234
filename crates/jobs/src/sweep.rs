//! Periodic clean-up of rows that can no longer be used: expired e-mail codes, sessions and
//! refresh tokens, OAuth states and unpicked grants of connects, media upload sessions left unfinished (and their chunks), media files
//! whose library entry was never written (every six hours: it lists the whole store), and queue jobs that ended more than a week ago (the hot jobs table stays small;
//! the outcome of every publish stays in the targets and the ledger). Deleting them keeps tables small; correctness never depends on it, because
//! every check also compares expiry times.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;
use zenalto_store::{
    queue,
    repo::{connections, email_codes, sessions},
};

const EVERY: Duration = Duration::from_secs(600);
const FINISHED_JOBS_KEPT_SECS: i64 = 7 * 86_400;
/// Listing every stored file is the costly part (an S3 LIST per thousand objects).
const ORPHANS_EVERY: Duration = Duration::from_secs(6 * 3600);

pub async fn run(services: Services, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(EVERY);
    // Not at start-up: a process that restarts often would list the whole store each time.
    let mut orphans = tokio::time::interval_at(tokio::time::Instant::now() + ORPHANS_EVERY, ORPHANS_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = orphans.tick() => {
                if let Err(error) = services.sweep_media_orphans().await {
                    tracing::warn!(%error, "sweeping orphaned media files failed; will retry");
                }
            }
            _ = tick.tick() => {
                if let Err(error) = sweep(&services).await {
                    tracing::warn!(%error, "sweep failed; will retry");
                }
                if let Err(error) = services.sweep_media_uploads().await {
                    tracing::warn!(%error, "sweeping expired media uploads failed; will retry");
                }
            }
        }
    }
}

pub async fn sweep(services: &Services) -> Result<u64, zenalto_store::StoreError> {
    let now = services.now();
    let mut tx = services.db.begin().await?;
    let removed = email_codes::prune(&mut tx, now).await?
        + sessions::prune(&mut tx, now).await?
        + queue::prune_finished(&mut tx, now.plus_seconds(-FINISHED_JOBS_KEPT_SECS)).await?
        + connections::prune_states(&mut tx, now).await?
        + connections::prune_pending(&mut tx, now).await?;
    tx.commit().await?;
    if removed > 0 {
        tracing::debug!(removed, "swept expired codes and sessions");
    }
    Ok(removed)
}
