//! What this process published by idempotency key, for networks that have no key of their own.
//! `find_published` only receives the key, so the adapter remembers the text it sent for each
//! key and looks for that text on the network. A key it never saw (the process restarted since
//! the attempt) cannot be verified, and says so instead of answering "not found".

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

const KEEP: usize = 1024;

#[derive(Default)]
pub struct Recent {
    inner: Mutex<(HashMap<String, String>, VecDeque<String>)>,
}

impl Recent {
    /// Remembers the first part's text sent under `key` (before the call, so a call whose
    /// answer is lost can still be looked for).
    pub fn remember(&self, key: &str, text: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(key.to_owned(), text.to_owned()).is_none() {
            order.push_back(key.to_owned());
        }
        while order.len() > KEEP {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub fn text(&self, key: &str) -> Option<String> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).0.get(key).cloned()
    }
}

/// Whether a post's text as the network returns it is the text we sent: links come back
/// shortened (t.co) and `&`, `<`, `>` as HTML entities, so links are compared as placeholders.
pub fn same_text(sent: &str, found: &str) -> bool {
    normalise(sent) == normalise(&found.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
}

fn normalise(text: &str) -> Vec<&str> {
    text.split_whitespace().map(|word| if word.starts_with("http://") || word.starts_with("https://") { "<link>" } else { word }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_entities_do_not_hide_the_same_text() {
        assert!(same_text("Hello & welcome https://example.com/a", "Hello &amp; welcome https://t.co/xyz"));
        assert!(!same_text("Hello", "Hello again"));
    }

    #[test]
    fn old_keys_are_forgotten() {
        let recent = Recent::default();
        for n in 0..=KEEP {
            recent.remember(&n.to_string(), "t");
        }
        assert_eq!(recent.text("0"), None);
        assert_eq!(recent.text(&KEEP.to_string()).as_deref(), Some("t"));
    }
}
