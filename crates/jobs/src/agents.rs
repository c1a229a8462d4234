//! Weekly autofill: every hour, next week's agent run starts for each account whose profile
//! asks for it and has none yet. Idempotent by the run's unique autofill key, so several
//! workers and restarts fill a week once.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;

const EVERY: Duration = Duration::from_secs(3600);

pub async fn run(services: Services, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => match services.autofill_due().await {
                Ok(0) => {}
                Ok(started) => tracing::info!(started, "started weekly agent runs"),
                Err(error) => tracing::warn!(%error, "weekly autofill round failed; will retry"),
            },
        }
    }
}
