//! The AI engine, pure of SQL and HTTP serving: provider clients speaking the wire formats of
//! OpenAI-compatible chat completions, Anthropic messages and Google Gemini (`providers`), the
//! resilience around them — retries, circuit breakers, fallback along a chain, a response
//! cache (`resilience`) — cost from a price table (`pricing`), routing by task (`routing`), and
//! the local engine used when no provider is configured or all fail (`local`).

pub mod error;
pub mod local;
pub mod pricing;
pub mod provider;
pub mod providers;
pub mod resilience;
pub mod routing;
mod sse;
pub mod types;

pub use error::{AiError, ErrorKind};
pub use provider::{DeltaStream, Provider, collect};
pub use types::{ChatRequest, ChatResponse, Delta, Finish, Image, Message, Role, ToolCall, ToolDef, Usage};
