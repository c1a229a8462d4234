//! Cross-cutting layers: request ids and tracing spans, metrics, rate limits, timeouts and
//! security headers.

pub mod metrics;
pub mod rate_limit;
pub mod request_id;
pub mod security_headers;
pub mod timeout;
