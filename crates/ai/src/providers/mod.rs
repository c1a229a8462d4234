//! Hand-written clients for the three wire formats, on reqwest. Each maps the neutral
//! [`crate::ChatRequest`] onto its provider's body, and the provider's answers and errors back.

pub mod anthropic;
pub mod gemini;
pub mod openai;

use std::time::Duration;

use serde_json::Value;

use crate::error::{AiError, ErrorKind};

/// Where and how to reach one provider. The key is kept out of `Debug`.
#[derive(Clone)]
pub struct Endpoint {
    /// e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama),
    /// `https://api.anthropic.com`, `https://generativelanguage.googleapis.com/v1beta`.
    pub base_url: String,
    pub api_key: Option<String>,
    /// For a whole call, streaming included.
    pub timeout: Duration,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Endpoint {
    pub fn new(base_url: impl Into<String>, api_key: Option<String>) -> Self {
        Endpoint { base_url: base_url.into(), api_key, timeout: Duration::from_secs(60) }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url.trim_end_matches('/'), path.trim_start_matches('/'))
    }
}

/// Builds the shared client: no proxy from the environment surprises, rustls like the rest.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap_or_else(|_| reqwest::Client::new())
}

/// Reads an error response: its status, body and `retry-after`, classified by `classify`.
pub(crate) async fn error_from(
    provider: &str,
    response: reqwest::Response,
    classify: impl Fn(u16, &Value) -> (ErrorKind, String),
) -> AiError {
    let status = response.status().as_u16();
    let retry_after = crate::error::retry_after(response.headers());
    let body: Value = match response.text().await {
        Ok(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        Err(error) => return AiError::from_transport(provider, &error),
    };
    let (kind, message) = classify(status, &body);
    AiError { kind, provider: provider.to_owned(), message: format!("HTTP {status}: {message}"), retry_after }
}

/// Status codes every provider shares before its own error codes are consulted.
pub(crate) fn kind_of_status(status: u16) -> ErrorKind {
    match status {
        408 => ErrorKind::Timeout,
        429 => ErrorKind::RateLimited,
        402 => ErrorKind::QuotaExceeded,
        500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::InvalidRequest,
    }
}

/// Parses tool-call arguments sent as a JSON string; an unparseable string is kept as a string.
pub(crate) fn parse_arguments(raw: &str) -> Value {
    if raw.trim().is_empty() {
        return Value::Object(Default::default());
    }
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()))
}

pub(crate) fn malformed(provider: &str, what: impl std::fmt::Display) -> AiError {
    AiError::new(ErrorKind::Unavailable, provider, format!("malformed answer: {what}"))
}
