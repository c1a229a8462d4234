//! Provider failures, classified so callers know whether to retry, fall back, or tell the user.

use std::time::Duration;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No answer in time.
    Timeout,
    /// Too many requests for now; `retry_after` says when to come back if the provider said.
    RateLimited,
    /// The provider is down, overloaded, or failed on its side (5xx, connection refused).
    Unavailable,
    /// The provider refused the content (safety filters).
    ContentFiltered,
    /// The account's quota or credit is used up: retrying will not help until it is raised.
    QuotaExceeded,
    /// The request itself is wrong (bad key, unknown model, malformed body).
    InvalidRequest,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "timeout",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::ContentFiltered => "content_filtered",
            ErrorKind::QuotaExceeded => "quota_exceeded",
            ErrorKind::InvalidRequest => "invalid_request",
        }
    }

    /// Whether the same request to the same provider may succeed a moment later.
    pub fn is_transient(self) -> bool {
        matches!(self, ErrorKind::Timeout | ErrorKind::RateLimited | ErrorKind::Unavailable)
    }

    /// What the user can do about it.
    pub fn advice(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "the provider did not answer in time; try again, or write it yourself",
            ErrorKind::RateLimited => "the provider is throttling requests; wait a moment or add a fallback provider",
            ErrorKind::Unavailable => "the provider is unavailable; a fallback provider or the local engine was used where possible",
            ErrorKind::ContentFiltered => "the provider's safety filter refused this content; rephrase the brief or write it yourself",
            ErrorKind::QuotaExceeded => "the provider account's quota or credit is used up; raise it with the provider or switch the primary provider",
            ErrorKind::InvalidRequest => "the provider refused the request; check the API key and model in the workspace's AI settings",
        }
    }
}

/// A classified failure of one provider call. The message never contains the API key.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{provider}: {} ({message}); {}", kind.as_str(), kind.advice())]
pub struct AiError {
    pub kind: ErrorKind,
    pub provider: String,
    /// What the provider said, or what went wrong on the way.
    pub message: String,
    pub retry_after: Option<Duration>,
}

impl AiError {
    pub fn new(kind: ErrorKind, provider: impl Into<String>, message: impl Into<String>) -> Self {
        AiError { kind, provider: provider.into(), message: message.into(), retry_after: None }
    }

    /// Classifies a transport failure (no HTTP status to go by).
    pub fn from_transport(provider: &str, error: &reqwest::Error) -> Self {
        let kind = if error.is_timeout() { ErrorKind::Timeout } else if error.is_builder() { ErrorKind::InvalidRequest } else { ErrorKind::Unavailable };
        // reqwest's Display includes the URL; Gemini keys are sent in a header, never the URL.
        AiError::new(kind, provider, error.without_url_ref().to_string())
    }
}

/// Small helper: reqwest 0.12 has `without_url` by value only.
trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let text = self.to_string();
        match self.url() {
            Some(url) => text.replace(url.as_str(), "<url>"),
            None => text,
        }
    }
}

/// Parses a `retry-after` header given in seconds (the HTTP-date form is not used by AI providers).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(Duration::from_secs_f64)
}
