//! The one interface every provider client implements.

use futures::StreamExt;
use futures::stream::BoxStream;

use crate::error::AiError;
use crate::types::{ChatRequest, ChatResponse, Delta, Finish, Usage};

/// A streamed answer: text pieces, whole tool calls, usage, then the finish reason.
pub type DeltaStream = BoxStream<'static, Result<Delta, AiError>>;

#[async_trait::async_trait]
pub trait Provider: Send + Sync {
    /// A stable name for logs, metrics, breakers and the cost table ("openai", "anthropic", …).
    fn name(&self) -> &str;

    /// One whole answer.
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, AiError>;

    /// The answer as it is produced. Errors before the first byte come back as `Err` here;
    /// errors mid-stream as an `Err` item.
    async fn stream(&self, request: &ChatRequest) -> Result<DeltaStream, AiError>;
}

/// Gathers a stream into the response a non-streaming call would have given.
pub async fn collect(model: &str, mut stream: DeltaStream) -> Result<ChatResponse, AiError> {
    let mut response =
        ChatResponse { model: model.to_owned(), text: String::new(), tool_calls: Vec::new(), usage: Usage::default(), finish: Finish::Stop };
    while let Some(delta) = stream.next().await {
        match delta? {
            Delta::Text(text) => response.text.push_str(&text),
            Delta::ToolCall(call) => response.tool_calls.push(call),
            Delta::Usage(usage) => {
                response.usage.input_tokens = response.usage.input_tokens.max(usage.input_tokens);
                response.usage.output_tokens = response.usage.output_tokens.max(usage.output_tokens);
            }
            Delta::Finish(finish) => response.finish = finish,
        }
    }
    Ok(response)
}
