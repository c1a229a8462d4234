//! Keeps network tokens fresh: every minute, accounts whose access token expires within a
//! quarter of an hour are refreshed, and tokens that cannot be refreshed are announced a week
//! before they run out. Several workers may run this at once: a refresh marks its attempt first,
//! and a refresh done twice only yields a second valid token.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;

const EVERY: Duration = Duration::from_secs(60);

pub async fn run(services: Services, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => match services.refresh_due_tokens().await {
                Ok(0) => {}
                Ok(refreshed) => tracing::info!(refreshed, "refreshed network tokens"),
                Err(error) => tracing::warn!(%error, "token refresh round failed; will retry"),
            },
        }
    }
}
