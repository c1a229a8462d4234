//! The 24-hour publishing quotas Instagram (`content_publishing_limit`) and Threads
//! (`threads_publishing_limit`) report: `{"data":[{"quota_usage","config":{"quota_total",
//! "quota_duration"}}]}`, plus `reply_quota_usage`/`reply_config` on Threads. Read before
//! publishing so an exhausted quota is said plainly before anything is created.

use serde::Deserialize;
use zenalto_domain::{Timestamp, publishing::Network};

use crate::PublishError;

#[derive(Debug, Deserialize)]
pub struct Quota {
    #[serde(default)]
    pub quota_usage: u64,
    #[serde(default)]
    pub config: Option<QuotaConfig>,
    #[serde(default)]
    pub reply_quota_usage: Option<u64>,
    #[serde(default)]
    pub reply_config: Option<QuotaConfig>,
}

#[derive(Debug, Deserialize)]
pub struct QuotaConfig {
    #[serde(default)]
    pub quota_total: u64,
}

/// `RateLimited` when `needed` more would pass `total` (a total of 0 means "not reported").
/// The window is rolling and Meta does not say when the oldest post leaves it: try again in an
/// hour.
pub fn ensure_room(
    network: Network,
    used: u64,
    total: Option<u64>,
    needed: u64,
    what: &str,
) -> Result<(), PublishError> {
    let Some(total) = total.filter(|t| *t > 0) else {
        return Ok(());
    };
    if used + needed <= total {
        return Ok(());
    }
    Err(PublishError::RateLimited {
        message: format!(
            "{} allows {total} {what} published through its API per 24 hours and this account has used {used}; publishing resumes as the oldest leave the 24-hour window",
            network.label()
        ),
        reset_at: Some(Timestamp::now().plus_seconds(3600)),
    })
}
