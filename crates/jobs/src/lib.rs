//! Background work. Today: delivering the mail outbox and sweeping expired codes and sessions.
//! Workers hold no state of their own — everything is in the database — so any number of
//! `zenalto worker` processes can run beside the API, and a crashed worker loses nothing.

mod mail;
mod sweep;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;

/// Runs every worker loop until `shutdown` is cancelled.
pub async fn run(services: Services, shutdown: CancellationToken) {
    tracing::info!("workers started");
    tokio::join!(mail::run(services.clone(), shutdown.clone()), sweep::run(services, shutdown));
    tracing::info!("workers stopped");
}
