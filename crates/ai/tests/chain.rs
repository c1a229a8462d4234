//! The chain against the fakes: retries honouring retry-after, fallback, circuit breaking,
//! caching and routing by task.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use zenalto_ai::providers::{Endpoint, anthropic::Anthropic, openai::OpenAi};
use zenalto_ai::resilience::{BreakerPolicy, Breakers, Cache, Chain, ChainError, Link, RetryPolicy};
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, ErrorKind, Message};
use zenalto_testkit::ai::{FakeProvider, Fault, KEY};

struct Setup {
    openai: FakeProvider,
    anthropic: FakeProvider,
    chain: Chain,
    cache: Arc<Cache>,
}

async fn setup(retry: RetryPolicy, breaker: BreakerPolicy) -> Setup {
    let openai = zenalto_testkit::ai::openai::spawn().await;
    let anthropic = zenalto_testkit::ai::anthropic::spawn().await;
    let links = vec![
        Link {
            provider: Arc::new(OpenAi::new("openai", Endpoint::new(openai.base_url.clone(), Some(KEY.into())))),
            model: "gpt-big".into(),
            cheap_model: Some("gpt-small".into()),
        },
        Link {
            provider: Arc::new(Anthropic::new("anthropic", Endpoint::new(anthropic.base_url.clone(), Some(KEY.into())))),
            model: "claude-big".into(),
            cheap_model: None,
        },
    ];
    let cache = Arc::new(Cache::new(Duration::from_secs(3600), 100));
    let chain = Chain::new(links, retry, Arc::new(Breakers::new(breaker)), Some(cache.clone()), "workspace-1");
    Setup { openai, anthropic, chain, cache }
}

fn quick_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy { attempts, base: Duration::from_millis(10), max_wait: Duration::from_secs(2) }
}

fn request(text: &str) -> ChatRequest {
    ChatRequest::new("", vec![Message::user(text)])
}

#[tokio::test]
async fn transient_errors_are_retried_honouring_retry_after() {
    let s = setup(quick_retry(3), BreakerPolicy::default()).await;
    s.openai.fail_next(Fault::RateLimited { retry_after_secs: 1 }, 1);
    s.openai.fail_next(Fault::ServerError, 1);
    let answer = s.chain.complete(Task::Generate, &request("hi")).await.unwrap();
    assert_eq!(answer.provider, "openai");
    assert_eq!(answer.response.text, "Echo: hi");
    assert_eq!(answer.failures.iter().map(|f| f.kind).collect::<Vec<_>>(), vec![ErrorKind::RateLimited, ErrorKind::Unavailable]);
    assert_eq!(s.openai.calls(), 3);
    assert_eq!(s.anthropic.calls(), 0);
}

#[tokio::test]
async fn a_long_retry_after_or_a_used_up_quota_falls_back_at_once() {
    let s = setup(quick_retry(3), BreakerPolicy::default()).await;
    s.openai.fail_next(Fault::RateLimited { retry_after_secs: 60 }, 1);
    let answer = s.chain.complete(Task::Generate, &request("one")).await.unwrap();
    assert_eq!((answer.provider.as_str(), s.openai.calls()), ("anthropic", 1));

    s.openai.fail_next(Fault::QuotaExceeded, 1);
    let answer = s.chain.complete(Task::Generate, &request("two")).await.unwrap();
    assert_eq!((answer.provider.as_str(), s.openai.calls()), ("anthropic", 2), "a used-up quota is not retried");
    assert_eq!(answer.failures[0].kind, ErrorKind::QuotaExceeded);
}

#[tokio::test]
async fn the_breaker_skips_a_failing_provider() {
    let s = setup(quick_retry(1), BreakerPolicy { threshold: 2, cooldown: Duration::from_secs(3600) }).await;
    s.openai.fail_next(Fault::ServerError, 10);
    for text in ["a", "b"] {
        assert_eq!(s.chain.complete(Task::Generate, &request(text)).await.unwrap().provider, "anthropic");
    }
    assert_eq!(s.openai.calls(), 2);
    let answer = s.chain.complete(Task::Generate, &request("c")).await.unwrap();
    assert_eq!(answer.provider, "anthropic");
    assert_eq!(s.openai.calls(), 2, "circuit open: not called");
    assert!(answer.failures[0].message.contains("circuit open"));
}

#[tokio::test]
async fn when_every_provider_fails_all_errors_come_back() {
    let s = setup(quick_retry(2), BreakerPolicy::default()).await;
    s.openai.fail_next(Fault::ContentFiltered, 1);
    s.anthropic.fail_next(Fault::ServerError, 2);
    let Err(ChainError::AllFailed(errors)) = s.chain.complete(Task::Generate, &request("hi")).await else { panic!("should fail") };
    let kinds: Vec<_> = errors.iter().map(|e| (e.provider.as_str(), e.kind)).collect();
    assert_eq!(kinds, vec![("openai", ErrorKind::ContentFiltered), ("anthropic", ErrorKind::Unavailable), ("anthropic", ErrorKind::Unavailable)]);
    let empty = Chain::new(vec![], quick_retry(1), Arc::new(Breakers::default()), None, "w");
    assert!(matches!(empty.complete(Task::Generate, &request("hi")).await, Err(ChainError::NoProvider)));
}

#[tokio::test]
async fn identical_requests_are_answered_from_the_cache() {
    let s = setup(quick_retry(1), BreakerPolicy::default()).await;
    let first = s.chain.complete(Task::Generate, &request("same")).await.unwrap();
    let second = s.chain.complete(Task::Generate, &request("same")).await.unwrap();
    assert!(!first.cached && second.cached);
    assert_eq!(first.response, second.response);
    assert_eq!(s.openai.calls(), 1);
    s.chain.complete(Task::Generate, &request("different")).await.unwrap();
    let stats = s.cache.stats();
    assert_eq!((stats.hits, stats.misses), (1, 2));
}

#[tokio::test]
async fn simple_tasks_go_to_the_cheap_model() {
    let s = setup(quick_retry(1), BreakerPolicy::default()).await;
    s.chain.complete(Task::Hashtags, &request("tags please")).await.unwrap();
    assert_eq!(s.openai.last_request()["model"], "gpt-small");
    s.chain.complete(Task::Generate, &request("a post please")).await.unwrap();
    assert_eq!(s.openai.last_request()["model"], "gpt-big");
}

#[tokio::test]
async fn streaming_falls_back_before_the_first_piece() {
    let s = setup(quick_retry(1), BreakerPolicy::default()).await;
    s.openai.fail_next(Fault::ServerError, 1);
    let (provider, stream) = s.chain.stream(Task::Generate, &request("stream me")).await.unwrap();
    assert_eq!(provider, "anthropic");
    let response = zenalto_ai::collect("claude-big", stream).await.unwrap();
    assert_eq!(response.text, "Echo: stream me");
}
