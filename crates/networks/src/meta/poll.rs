//! Bounded waiting for Meta to process media (an Instagram or Threads container, a Facebook
//! video). Meta asks for a status check about once a minute for at most five minutes
//! (<https://developers.facebook.com/docs/threads/troubleshooting>); tests shorten the interval.

use std::{future::Future, time::Duration};

use zenalto_domain::publishing::Network;

use crate::PublishError;

#[derive(Clone, Copy, Debug)]
pub struct Polling {
    pub interval: Duration,
    pub max_polls: u32,
}

impl Default for Polling {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(10),
            max_polls: 30,
        }
    }
}

/// What one status check said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Ready,
    Pending,
    /// Meta could not process the media: the same file would fail again.
    Failed(String),
    /// The container was not published within its 24 hours: a retry makes a new one.
    Expired,
}

/// Checks until ready. Gives up with a Transient error after `max_polls` checks: nothing was
/// published yet, so the retry starts from new containers.
pub async fn until_ready<F, Fut>(
    network: Network,
    polling: Polling,
    what: &str,
    mut check: F,
) -> Result<(), PublishError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Status, PublishError>>,
{
    let label = network.label();
    for attempt in 0..polling.max_polls.max(1) {
        if attempt > 0 {
            tokio::time::sleep(polling.interval).await;
        }
        match check().await? {
            Status::Ready => return Ok(()),
            Status::Pending => {}
            Status::Failed(reason) => {
                return Err(PublishError::Permanent {
                    message: format!("{label} could not process the {what}: {reason}"),
                });
            }
            Status::Expired => {
                return Err(PublishError::Transient {
                    message: format!("{label} let the {what} expire before it was published"),
                    retry_after_secs: None,
                });
            }
        }
    }
    Err(PublishError::Transient {
        message: format!(
            "{label} was still processing the {what} after {} checks; nothing was published",
            polling.max_polls.max(1)
        ),
        retry_after_secs: Some(60),
    })
}
