//! What this process last tried to publish under each idempotency key, so `find_published` knows
//! what to look for on a network without idempotency keys (YouTube, TikTok, Pinterest): the
//! title and text to match among the account's recent posts, and the network's own reference of
//! the attempt once it has one (a TikTok `publish_id`). The contract hands `find_published` only
//! the key; a key this process never saw (after a restart) cannot be verified, and the adapters
//! say so instead of answering "not published" unchecked.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

/// How many keys are remembered: enough for the attempts in flight, bounded so memory is too.
const KEEP: usize = 2000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Attempt {
    pub title: String,
    pub text: String,
    /// Where the attempt went (a Pinterest board id) or what the network called it (a TikTok
    /// `publish_id`).
    pub reference: Option<String>,
}

#[derive(Default)]
pub(crate) struct Attempts {
    inner: Mutex<(HashMap<String, Attempt>, VecDeque<String>)>,
}

impl Attempts {
    pub(crate) fn record(&self, key: &str, attempt: Attempt) {
        let mut guard = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(key.to_owned(), attempt).is_none() {
            order.push_back(key.to_owned());
        }
        while order.len() > KEEP {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub(crate) fn set_reference(&self, key: &str, reference: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(attempt) = guard.0.get_mut(key) {
            attempt.reference = Some(reference.to_owned());
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Attempt> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).0.get(key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_keys_are_forgotten_first() {
        let attempts = Attempts::default();
        for i in 0..=KEEP {
            attempts.record(&i.to_string(), Attempt { title: i.to_string(), ..Attempt::default() });
        }
        assert_eq!(attempts.get("0"), None);
        assert_eq!(attempts.get("1").map(|a| a.title), Some("1".to_owned()));
        attempts.set_reference("1", "p-1");
        assert_eq!(attempts.get("1").and_then(|a| a.reference), Some("p-1".to_owned()));
    }
}
