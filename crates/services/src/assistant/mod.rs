//! The assistant: conversations per person and workspace (`conversations`, `history`), a typed
//! tool set shared with the MCP server (`tools`), confirmation cards for anything that
//! publishes, schedules or spends budget (`actions`), and the two ways a message is answered —
//! the workspace's AI providers with native tool calling (`llm`), or the local interpreter of
//! plain-English requests (`interpreter`) — one turn at a time (`turn`, `reply`).

pub mod actions;
pub mod conversations;
pub mod history;
pub mod interpreter;
mod llm;
pub mod reply;
mod search;
pub mod tools;
mod turn;

pub use actions::{Card, Outcome};
pub use reply::{Event, Sink};
pub use tools::{TOOLS, Tool, ToolContext};
pub use turn::Turn;

use crate::ServiceError;

/// A refusal or failure as one sentence for the person (and for a model or MCP client): which
/// field is wrong, which permission is missing. Internal causes are logged, never shown.
pub fn describe_error(error: &ServiceError) -> String {
    match error {
        ServiceError::Validation(fields) => fields.iter().map(|(field, message)| format!("{field}: {message}")).collect::<Vec<_>>().join("; "),
        ServiceError::Forbidden(what) => format!("you do not have permission to {what} (missing permission {})", what.replacen(' ', ":", 1)),
        ServiceError::NotFound => "not found in this workspace".into(),
        ServiceError::Conflict { message, .. } => message.clone(),
        ServiceError::Store(_) | ServiceError::Internal(_) => {
            tracing::error!(%error, "assistant tool failed");
            "something went wrong on our side; try again".into()
        }
        other => other.to_string(),
    }
}
