//! Meta has no idempotency key. To answer `find_published` honestly, an adapter notes the text
//! of each attempt (by its idempotency key) before creating anything; the check then reads the
//! account's recent posts and looks for that exact text, made after the attempt started. An
//! attempt this process did not make cannot be checked, and says so instead of guessing.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use zenalto_domain::{Timestamp, publishing::Network};

use crate::PublishError;

/// How long an attempt is remembered (a retry after an unknown outcome comes much sooner).
const KEEP_SECS: i64 = 48 * 3600;
const MAX_ENTRIES: usize = 10_000;
/// Clocks differ: a post created slightly "before" the attempt still counts as ours.
const CLOCK_SLACK_SECS: i64 = 300;

#[derive(Clone, Debug)]
pub struct Attempt {
    pub text: String,
    pub started_at: Timestamp,
}

#[derive(Default)]
pub struct Attempts {
    by_key: Mutex<HashMap<String, Attempt>>,
}

impl Attempts {
    /// Notes an attempt; a retry keeps the first start time so its earlier post is still found.
    pub fn record(&self, key: &str, text: &str) {
        let now = Timestamp::now();
        let mut map = self.lock();
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, a| a.started_at.plus_seconds(KEEP_SECS) > now);
        }
        map.entry(key.to_owned()).or_insert_with(|| Attempt {
            text: text.trim().to_owned(),
            started_at: now,
        });
    }

    /// The attempt made with `key`, or the "cannot verify" answer.
    pub fn get(&self, network: Network, key: &str) -> Result<Attempt, PublishError> {
        self.lock().get(key).cloned().ok_or_else(|| PublishError::Permanent {
            message: format!("{} has no idempotency key and this attempt was not made by this process, so whether it was published cannot be verified: check the account before publishing again", network.label()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Attempt>> {
        self.by_key
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Attempt {
    /// Whether a post read back from the network is this attempt's.
    pub fn matches(&self, text: Option<&str>, created: Option<Timestamp>) -> bool {
        let same_text = text.map(str::trim) == Some(self.text.as_str());
        let recent = created.is_none_or(|at| at.plus_seconds(CLOCK_SLACK_SECS) >= self.started_at);
        same_text && recent
    }
}
