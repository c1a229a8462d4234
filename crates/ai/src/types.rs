//! Provider-neutral chat types: what the engine asks and what any provider answers.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    System,
    User,
    Assistant,
    /// The result of a tool call, sent back to the model.
    Tool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
    /// Calls the assistant made (assistant messages only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// The call this message answers (tool messages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// Pictures shown to a vision-capable model with this message (user messages only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
}

/// An image sent inline: its bytes as standard base64 and its type (JPEG, PNG, GIF or WebP,
/// the types every provider's vision input takes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub mime: String,
    pub base64: String,
}

impl Image {
    pub fn new(mime: impl Into<String>, bytes: &[u8]) -> Self {
        use base64::Engine;
        Image { mime: mime.into(), base64: base64::engine::general_purpose::STANDARD.encode(bytes) }
    }

    /// The `data:` URL form OpenAI-compatible servers take.
    pub fn data_url(&self) -> String {
        format!("data:{};base64,{}", self.mime, self.base64)
    }
}

impl Message {
    fn plain(role: Role, content: impl Into<String>) -> Self {
        Message { role, content: content.into(), tool_calls: Vec::new(), tool_call_id: None, images: Vec::new() }
    }
    pub fn system(content: impl Into<String>) -> Self {
        Self::plain(Role::System, content)
    }
    pub fn user(content: impl Into<String>) -> Self {
        Self::plain(Role::User, content)
    }
    /// A user message with pictures for a vision-capable model.
    pub fn user_with_images(content: impl Into<String>, images: Vec<Image>) -> Self {
        let mut message = Self::plain(Role::User, content);
        message.images = images;
        message
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::plain(Role::Assistant, content)
    }
    /// A tool's result, answering the call `call_id` (Gemini matches by `name` instead).
    pub fn tool_result(call_id: impl Into<String>, name: impl Into<String>, content: impl Into<String>) -> Self {
        let mut message = Self::plain(Role::Tool, content);
        message.tool_call_id = Some(call_id.into());
        // Gemini answers a call by function name; keep it beside the id.
        message.tool_calls = vec![ToolCall { id: String::new(), name: name.into(), arguments: Value::Null }];
        message
    }
}

/// A function the model may call, its parameters as a JSON Schema object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolDef {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

/// A call the model asked for, its arguments parsed from JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    /// When set, the answer must be one JSON value matching this schema (structured output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolDef>,
    pub max_tokens: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
}

impl ChatRequest {
    pub fn new(model: impl Into<String>, messages: Vec<Message>) -> Self {
        ChatRequest { model: model.into(), messages, json_schema: None, tools: Vec::new(), max_tokens: 1024, temperature: None }
    }

    /// The system prompt (all system messages joined), for providers that take it apart.
    pub fn system_prompt(&self) -> Option<String> {
        let parts: Vec<&str> =
            self.messages.iter().filter(|m| m.role == Role::System).map(|m| m.content.as_str()).collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// Why the model stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    #[default]
    Stop,
    Length,
    ToolCalls,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    pub model: String,
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
    pub usage: Usage,
    pub finish: Finish,
}

impl ChatResponse {
    /// The answer parsed as JSON (structured output).
    pub fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(self.text.trim())
    }
}

/// One piece of a streamed answer. Tool calls arrive whole, once their arguments are complete.
#[derive(Clone, Debug, PartialEq)]
pub enum Delta {
    Text(String),
    ToolCall(ToolCall),
    Usage(Usage),
    Finish(Finish),
}
