//! `launch(settings, listener, shutdown)`: wires configuration, secrets, database, services, the
//! HTTP router and the workers, and serves until `shutdown` is cancelled. The binary and the
//! integration tests both start Zenalto through here.

mod fanout;
mod telemetry;

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use zenalto_services::{Clock, Services, keys::Keys};
use zenalto_settings::Settings;
use zenalto_store::Db;

pub use telemetry::init_tracing;

/// What to run in this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roles {
    pub api: bool,
    pub workers: bool,
}

/// Opens the database (creating the data folder for SQLite), applies migrations, and loads or
/// generates the secrets.
pub async fn prepare(settings: &Settings, clock: Clock) -> anyhow::Result<Services> {
    if settings.uses_embedded_database() {
        create_private_dir(&settings.data_dir)?;
    }
    let keys = Keys::load_or_generate(settings).context("cannot load the server secrets")?;
    let db = Db::connect(&settings.database_url(), settings.database.max_connections).await.context("cannot open the database")?;
    db.migrate().await.context("cannot apply database migrations")?;
    let media = zenalto_media::Storage::from_settings(&settings.media, &settings.data_dir).context("cannot open the media storage")?;
    Ok(Services::new(db, Arc::new(settings.clone()), Arc::new(keys), clock, media))
}

/// The data folder holds the database and secrets: readable by the service user only.
fn create_private_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    let existed = dir.exists();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    #[cfg(unix)]
    if !existed {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict permissions of {}", dir.display()))?;
    }
    Ok(())
}

/// Serves the API (and runs workers, per `roles`) until `shutdown` is cancelled, then drains
/// in-flight requests and stops the workers.
pub async fn launch(settings: Settings, listener: TcpListener, shutdown: CancellationToken) -> anyhow::Result<()> {
    let services = prepare(&settings, Clock::system()).await?;
    run(services, Some(listener), Roles { api: true, workers: settings.workers.enabled }, shutdown).await
}

/// Runs already-prepared services. `listener` is needed when `roles.api` is set.
pub async fn run(services: Services, listener: Option<TcpListener>, roles: Roles, shutdown: CancellationToken) -> anyhow::Result<()> {
    let fanout = fanout::spawn(&services, shutdown.clone());
    let workers = roles.workers.then(|| tokio::spawn(zenalto_jobs::run(services.clone(), shutdown.clone())));
    if roles.api {
        let listener = listener.context("an API process needs a listener")?;
        let state = zenalto_api::AppState::new(services.clone());
        state.rate_limits.spawn_housekeeping(shutdown.clone());
        let app = zenalto_api::router(state);
        tracing::info!(address = %listener.local_addr()?, "Zenalto is listening");
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.clone().cancelled_owned())
            .await
            .context("the HTTP server failed")?;
    } else {
        shutdown.cancelled().await;
    }
    if let Some(workers) = workers {
        let _ = workers.await;
    }
    if let Some(fanout) = fanout {
        let _ = fanout.await;
    }
    services.db.close().await;
    Ok(())
}

/// Cancels `token` on SIGINT or SIGTERM.
pub fn cancel_on_signals(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminate => {}
        }
        tracing::info!("shutdown signal received; finishing in-flight work");
        token.cancel();
    });
}
