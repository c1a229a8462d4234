//! The mail loop: sends what is due, then sleeps until the next mail falls due, a use case in
//! this process signals new mail, or the poll interval passes (mail queued by another process).

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use zenalto_services::{Services, mail};

pub async fn run(services: Services, shutdown: CancellationToken) {
    let poll = Duration::from_millis(services.settings.workers.poll_interval_ms.max(50));
    loop {
        if let Err(error) = mail::deliver_due(&services).await {
            tracing::error!(%error, "mail delivery round failed");
        }
        let until_due = match mail::next_due_at(&services).await {
            Ok(Some(due)) => Duration::from_millis(u64::try_from(due.as_millis() - services.now().as_millis()).unwrap_or(0)),
            Ok(None) => poll,
            Err(error) => {
                tracing::error!(%error, "could not read the mail outbox");
                poll
            }
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = services.mail_wakeup.notified() => {}
            _ = tokio::time::sleep(until_due.min(poll)) => {}
        }
    }
}
