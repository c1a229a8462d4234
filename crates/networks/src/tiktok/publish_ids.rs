//! The `publish_id` TikTok gave each attempt this process made, by idempotency key. With it,
//! `find_published` asks TikTok for that post's status directly, which also settles a post still
//! in moderation or one that failed; without it (the init's answer was lost, or the process
//! restarted since), it looks for the caption among the creator's latest videos instead.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

/// How many keys are remembered: enough for the attempts in flight, bounded so memory is too.
const KEEP: usize = 2000;

#[derive(Default)]
pub(super) struct PublishIds {
    inner: Mutex<(HashMap<String, String>, VecDeque<String>)>,
}

impl PublishIds {
    pub(super) fn record(&self, key: &str, publish_id: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(key.to_owned(), publish_id.to_owned()).is_none() {
            order.push_back(key.to_owned());
        }
        while order.len() > KEEP {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<String> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).0.get(key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_keys_are_forgotten_first() {
        let ids = PublishIds::default();
        for i in 0..=KEEP {
            ids.record(&i.to_string(), &format!("p-{i}"));
        }
        assert_eq!(ids.get("0"), None);
        assert_eq!(ids.get("1").as_deref(), Some("p-1"));
    }
}
