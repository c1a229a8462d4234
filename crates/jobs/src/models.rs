//! Keeps each workspace's performance model fresh: every hour, retrains the models that are due
//! — a workspace that reached the minimum of posts with figures, one whose posts with figures
//! grew by a tenth, or one with any new figures since its model is a day old. Training is
//! in-process and takes milliseconds per workspace; several workers doing the same round only
//! repeat work (the model row is replaced, never duplicated).

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;

const EVERY: Duration = Duration::from_secs(3600);

pub async fn run(services: Services, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => match services.retrain_due_models().await {
                Ok(0) => {}
                Ok(trained) => tracing::info!(trained, "retrained performance models"),
                Err(error) => tracing::warn!(%error, "model retraining round failed; will retry"),
            },
        }
    }
}
