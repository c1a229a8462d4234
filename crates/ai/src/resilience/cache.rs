//! A cache of answers to identical requests, keyed by a hash of the request and a scope (the
//! workspace), so the same brief twice costs one call. Hits and misses are counted here and
//! in the process metrics (`ai_cache_requests_total{result="hit|miss"}`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::types::{ChatRequest, ChatResponse};

pub struct Cache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, (Instant, ChatResponse)>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
}

impl Cache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Cache { ttl, capacity, entries: Mutex::new(HashMap::new()), hits: AtomicU64::new(0), misses: AtomicU64::new(0) }
    }

    /// The key of a request within a scope. The model is left out on purpose: the chain picks
    /// it, and the same brief answered by the fallback is still the answer to that brief.
    pub fn key(scope: &str, task: &str, request: &ChatRequest) -> String {
        let mut neutral = request.clone();
        neutral.model.clear();
        let mut hash = Sha256::new();
        hash.update(scope.as_bytes());
        hash.update([0]);
        hash.update(task.as_bytes());
        hash.update([0]);
        hash.update(serde_json::to_vec(&neutral).unwrap_or_default());
        hex::encode(hash.finalize())
    }

    pub fn get(&self, key: &str) -> Option<ChatResponse> {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let found = match entries.get(key) {
            Some((at, response)) if at.elapsed() < self.ttl => Some(response.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        };
        let (counter, result) = if found.is_some() { (&self.hits, "hit") } else { (&self.misses, "miss") };
        counter.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("ai_cache_requests_total", "result" => result).increment(1);
        found
    }

    pub fn put(&self, key: String, response: ChatResponse) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= self.capacity {
            // Expired entries go first; if none, the oldest one.
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= self.capacity
                && let Some(oldest) = entries.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, (Instant::now(), response));
    }

    pub fn stats(&self) -> CacheStats {
        let entries = self.entries.lock().map(|e| e.len()).unwrap_or(0);
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed), entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Finish, Message, Usage};

    fn answer(text: &str) -> ChatResponse {
        ChatResponse { model: "m".into(), text: text.into(), tool_calls: vec![], usage: Usage::default(), finish: Finish::Stop }
    }

    #[test]
    fn identical_requests_hit_and_others_miss() {
        let cache = Cache::new(Duration::from_secs(3600), 2);
        let request = ChatRequest::new("a", vec![Message::user("hello")]);
        let key = Cache::key("ws1", "generate", &request);
        assert_eq!(key, Cache::key("ws1", "generate", &ChatRequest::new("b", vec![Message::user("hello")])));
        assert_ne!(key, Cache::key("ws2", "generate", &request), "scoped per workspace");
        assert!(cache.get(&key).is_none());
        cache.put(key.clone(), answer("hi"));
        assert_eq!(cache.get(&key).map(|r| r.text), Some("hi".into()));
        cache.put("k2".into(), answer("2"));
        cache.put("k3".into(), answer("3"));
        assert_eq!(cache.stats(), CacheStats { hits: 1, misses: 1, entries: 2 });

        let expired = Cache::new(Duration::ZERO, 2);
        expired.put(key.clone(), answer("hi"));
        assert!(expired.get(&key).is_none());
    }
}
