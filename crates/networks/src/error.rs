//! How a network call failed, classified for the queue's retry policy.

use zenalto_domain::Timestamp;

#[derive(Clone, Debug, thiserror::Error)]
pub enum PublishError {
    /// Worth retrying later (5xx, connection refused before anything was sent).
    #[error("{message}")]
    Transient { message: String, retry_after_secs: Option<u64> },
    /// 429: nothing happened; wait until the reset the network named.
    #[error("{message}")]
    RateLimited { message: String, reset_at: Option<Timestamp> },
    /// 429 (or a quota) on the app's own budget at the network, shared by every account that
    /// connected through this server (Meta's `X-App-Usage`, a YouTube project's daily quota):
    /// every account of the network waits until the reset.
    #[error("{message}")]
    AppRateLimited { message: String, reset_at: Option<Timestamp> },
    /// The network refused the post; the same request would be refused again.
    #[error("{message}")]
    Permanent { message: String },
    /// The call was sent but no answer came (timeout, connection reset): the post may exist.
    #[error("{message}")]
    Unknown { message: String },
    /// The network no longer accepts the account's token (expired, revoked, a scope missing):
    /// nothing will work until the user connects the account again.
    #[error("{message}")]
    Reconnect { message: String },
}

impl PublishError {
    pub fn message(&self) -> &str {
        match self {
            Self::Transient { message, .. } | Self::RateLimited { message, .. } | Self::AppRateLimited { message, .. } | Self::Permanent { message } | Self::Unknown { message } | Self::Reconnect { message } => message,
        }
    }
}
