//! A workspace's provider chain: the cache first, then each provider in order (skipping those
//! whose breaker is open, retrying transient errors with backoff), stopping at the first answer.
//! When every provider fails the caller gets all the classified errors, to fall back on the
//! local engine or tell the user what to do.

use std::sync::Arc;

use futures::StreamExt;

use super::{Breakers, Cache, RetryPolicy};
use crate::error::{AiError, ErrorKind};
use crate::provider::{DeltaStream, Provider};
use crate::routing::{Task, model_for};
use crate::types::{ChatRequest, ChatResponse};

/// One provider in a chain, with the models it uses.
#[derive(Clone)]
pub struct Link {
    pub provider: Arc<dyn Provider>,
    pub model: String,
    pub cheap_model: Option<String>,
}

/// An answer and how it was obtained.
#[derive(Clone, Debug)]
pub struct Answer {
    pub response: ChatResponse,
    /// The provider that answered (for a cache hit, the one that answered first).
    pub provider: String,
    pub cached: bool,
    /// Failures on the way (earlier providers, retries), oldest first.
    pub failures: Vec<AiError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("no AI provider is configured")]
    NoProvider,
    #[error("every AI provider failed: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    AllFailed(Vec<AiError>),
}

impl ChainError {
    /// The kind of the last failure: what the user is most likely to act on.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            ChainError::NoProvider => None,
            ChainError::AllFailed(errors) => errors.last().map(|e| e.kind),
        }
    }
}

pub struct Chain {
    links: Vec<Link>,
    retry: RetryPolicy,
    breakers: Arc<Breakers>,
    cache: Option<Arc<Cache>>,
    /// Cache scope: the workspace.
    scope: String,
}

impl Chain {
    pub fn new(links: Vec<Link>, retry: RetryPolicy, breakers: Arc<Breakers>, cache: Option<Arc<Cache>>, scope: impl Into<String>) -> Self {
        Chain { links, retry, breakers, cache, scope: scope.into() }
    }

    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The cache first, then the providers.
    pub async fn complete(&self, task: Task, request: &ChatRequest) -> Result<Answer, ChainError> {
        match self.cached(task, request) {
            Some(answer) => Ok(answer),
            None => self.call(task, request).await,
        }
    }

    /// The cached answer to this request, if any: free, so callers may serve it even when a
    /// budget stops new calls.
    pub fn cached(&self, task: Task, request: &ChatRequest) -> Option<Answer> {
        let cache = self.cache.as_ref()?;
        let response = cache.get(&Cache::key(&self.scope, task.as_str(), request))?;
        Some(Answer { provider: "cache".into(), response, cached: true, failures: Vec::new() })
    }

    /// The providers in order, skipping the cache lookup (the answer is still cached).
    pub async fn call(&self, task: Task, request: &ChatRequest) -> Result<Answer, ChainError> {
        if self.links.is_empty() {
            return Err(ChainError::NoProvider);
        }
        let key = Cache::key(&self.scope, task.as_str(), request);
        let mut failures = Vec::new();
        for link in &self.links {
            let name = link.provider.name().to_owned();
            let breaker = self.breakers.get(&name);
            if !breaker.allow() {
                failures.push(AiError::new(ErrorKind::Unavailable, &name, "skipped: too many recent failures (circuit open)"));
                continue;
            }
            let mut request = request.clone();
            request.model = model_for(task, &link.model, link.cheap_model.as_deref()).to_owned();
            let mut attempt = 1;
            loop {
                match link.provider.chat(&request).await {
                    Ok(response) => {
                        breaker.success();
                        metrics::counter!("ai_requests_total", "provider" => name.clone(), "result" => "ok").increment(1);
                        if let Some(cache) = &self.cache {
                            cache.put(key, response.clone());
                        }
                        return Ok(Answer { response, provider: name, cached: false, failures });
                    }
                    Err(error) => {
                        metrics::counter!("ai_requests_total", "provider" => name.clone(), "result" => error.kind.as_str()).increment(1);
                        tracing::warn!(provider = %name, kind = error.kind.as_str(), message = %error.message, attempt, "AI provider call failed");
                        // Only outages count against the breaker: a refused prompt says nothing
                        // about the provider's health.
                        if error.kind.is_transient() {
                            breaker.failure();
                        }
                        let wait = self.retry.wait(attempt, &error);
                        failures.push(error);
                        match wait {
                            Some(wait) if breaker.allow() => {
                                tokio::time::sleep(wait).await;
                                attempt += 1;
                            }
                            _ => break,
                        }
                    }
                }
            }
        }
        Err(ChainError::AllFailed(failures))
    }

    /// The model `provider` (a link's name) is asked for `task`.
    pub fn model_of(&self, task: Task, provider: &str) -> Option<String> {
        self.links
            .iter()
            .find(|l| l.provider.name() == provider)
            .map(|l| model_for(task, &l.model, l.cheap_model.as_deref()).to_owned())
    }

    /// Streams from the first provider that starts answering. Falling back is only possible
    /// before the first delta; a stream that breaks later ends with its error.
    pub async fn stream(&self, task: Task, request: &ChatRequest) -> Result<(String, DeltaStream), ChainError> {
        if self.links.is_empty() {
            return Err(ChainError::NoProvider);
        }
        let mut failures = Vec::new();
        for link in &self.links {
            let name = link.provider.name().to_owned();
            let breaker = self.breakers.get(&name);
            if !breaker.allow() {
                failures.push(AiError::new(ErrorKind::Unavailable, &name, "skipped: too many recent failures (circuit open)"));
                continue;
            }
            let mut request = request.clone();
            request.model = model_for(task, &link.model, link.cheap_model.as_deref()).to_owned();
            match link.provider.stream(&request).await {
                Ok(stream) => {
                    breaker.success();
                    return Ok((name, stream.boxed()));
                }
                Err(error) => {
                    if error.kind.is_transient() {
                        breaker.failure();
                    }
                    failures.push(error);
                }
            }
        }
        Err(ChainError::AllFailed(failures))
    }
}
