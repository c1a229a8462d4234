//! Keeps what the networks report fresh: every minute, one round of each — post figures (posts
//! published within 30 days, refetched hourly), account figures (about daily) and inboxes
//! (every five minutes per account). Each round takes a bounded batch, stalest first, so a
//! backlog drains over several minutes instead of flooding the networks. Several workers may
//! run this at once: figures are upserts and inbox items are unique, so a twice-done fetch only
//! costs a call.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;

const EVERY: Duration = Duration::from_secs(60);

pub async fn run(services: Services, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => round(&services).await,
        }
    }
}

async fn round(services: &Services) {
    match services.refresh_due_metrics().await {
        Ok(0) => {}
        Ok(stored) => tracing::info!(stored, "refreshed post metrics"),
        Err(error) => tracing::warn!(%error, "post metrics round failed; will retry"),
    }
    match services.refresh_due_account_metrics().await {
        Ok(0) => {}
        Ok(stored) => tracing::info!(stored, "refreshed account metrics"),
        Err(error) => tracing::warn!(%error, "account metrics round failed; will retry"),
    }
    match services.sync_due_inboxes().await {
        Ok(0) => {}
        Ok(added) => tracing::info!(added, "new inbox items"),
        Err(error) => tracing::warn!(%error, "inbox round failed; will retry"),
    }
}
