//! Background work: publishing due posts, delivering the mail outbox, refreshing network tokens,
//! fetching metrics and inboxes, sweeping expired rows.
//! Workers hold no state of their own — everything is in the database — so any number of
//! `zenalto worker` processes can run beside the API, and a crashed worker loses nothing.

mod agents;
mod budget;
mod insights;
mod leases;
mod mail;
mod models;
mod notify;
mod publish;
pub mod sweep;
mod tokens;

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;

/// Runs every worker loop until `shutdown` is cancelled.
pub async fn run(services: Services, shutdown: CancellationToken) {
    tracing::info!("workers started");
    let wakeup = Arc::new(tokio::sync::Notify::new());
    tokio::join!(
        mail::run(services.clone(), shutdown.clone()),
        agents::run(services.clone(), shutdown.clone()),
        sweep::run(services.clone(), shutdown.clone()),
        tokens::run(services.clone(), shutdown.clone()),
        insights::run(services.clone(), shutdown.clone()),
        models::run(services.clone(), shutdown.clone()),
        notify::listen(services.clone(), shutdown.clone(), wakeup.clone()),
        publish::run(services, shutdown, wakeup),
    );
    tracing::info!("workers stopped");
}
