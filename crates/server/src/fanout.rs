//! Live events across processes on PostgreSQL (`store::fanout`): one task NOTIFYs the events
//! raised in this process, batched as they queue up; another LISTENs and passes the other
//! processes' events to this one's WebSocket clients. So a post published by a `zenalto worker`
//! shows up live in a browser connected to a separate API process. Nothing runs on SQLite.

use std::time::Duration;

use tokio::{sync::mpsc, task::JoinHandle};
use tokio_util::sync::CancellationToken;
use zenalto_services::{Services, publishing::PostEvent};
use zenalto_store::{Backend, StoreError, fanout};

/// Events sent per round at most: several NOTIFY payloads, one statement and one commit.
const BATCH: usize = 1024;
const RECONNECT: Duration = Duration::from_secs(1);

/// Starts the relay when the database is PostgreSQL; it stops with `shutdown`.
pub fn spawn(services: &Services, shutdown: CancellationToken) -> Option<JoinHandle<()>> {
    if services.db.backend() != Backend::Postgres {
        return None;
    }
    let outgoing = services.relay_events()?;
    let services = services.clone();
    Some(tokio::spawn(async move {
        tokio::join!(send(services.clone(), outgoing, shutdown.clone()), receive(services, shutdown));
    }))
}

async fn send(services: Services, mut outgoing: mpsc::Receiver<PostEvent>, shutdown: CancellationToken) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            received = outgoing.recv_many(&mut batch, BATCH) => if received == 0 { return },
        }
        if let Err(error) = notify(&services, &services.encode_events(&batch, fanout::MAX_PAYLOAD)).await {
            tracing::warn!(%error, "could not relay live events to other processes");
        }
        batch.clear();
    }
}

async fn notify(services: &Services, payloads: &[String]) -> Result<(), StoreError> {
    let mut tx = services.db.begin().await?;
    fanout::publish(&mut tx, payloads).await?;
    tx.commit().await?;
    Ok(())
}

async fn receive(services: Services, shutdown: CancellationToken) {
    let url = services.settings.database.url.expose().clone();
    loop {
        let listening = async {
            let mut listener = fanout::listen(&url).await?;
            loop {
                let notification = listener.recv().await.map_err(StoreError::from)?;
                services.receive_encoded(notification.payload());
            }
            #[allow(unreachable_code)]
            Ok::<(), StoreError>(())
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            result = listening => if let Err(error) = result {
                tracing::warn!(%error, "lost the live-event LISTEN connection; reconnecting (events meanwhile are missed, clients reload on the next)");
            },
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(RECONNECT) => {}
        }
    }
}
