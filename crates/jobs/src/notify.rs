//! Cross-process wake-ups on PostgreSQL: use cases `NOTIFY zenalto_jobs` after committing a job
//! and every worker LISTENs, so a post scheduled through another API process starts at once. A
//! NOTIFY is only a hint (one sent while nobody listens is lost); the worker's one-second poll
//! stays the safety net. SQLite has no equivalent and needs none beyond the in-process wake-up.

use std::{sync::Arc, time::Duration};

use tokio_util::sync::CancellationToken;
use zenalto_services::Services;
use zenalto_store::Backend;

pub const CHANNEL: &str = zenalto_store::queue::NOTIFY_CHANNEL;

pub async fn listen(services: Services, shutdown: CancellationToken, wakeup: Arc<tokio::sync::Notify>) {
    if services.db.backend() != Backend::Postgres {
        return;
    }
    let url = services.settings.database.url.expose().clone();
    loop {
        let listener = async {
            let mut listener = sqlx::postgres::PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            loop {
                listener.recv().await?;
                wakeup.notify_one();
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            result = listener => {
                if let Err(error) = result {
                    tracing::warn!(%error, "LISTEN connection lost; reconnecting (the poll covers the gap)");
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}
