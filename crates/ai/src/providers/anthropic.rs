//! Anthropic `POST {base}/v1/messages`: `x-api-key` and `anthropic-version` headers, a separate
//! `system` field, content blocks (`text`, `tool_use`, `tool_result`), and SSE streaming with
//! typed events (`message_start`, `content_block_start/delta/stop`, `message_delta`,
//! `message_stop`, `ping`, `error`). JSON output is asked for the portable way: one forced
//! tool whose input schema is the wanted schema, its input being the answer.

use std::collections::BTreeMap;

use futures::StreamExt;
use serde_json::{Value, json};

use super::{Endpoint, client, error_from, kind_of_status, malformed, parse_arguments};
use crate::error::{AiError, ErrorKind};
use crate::provider::{DeltaStream, Provider};
use crate::sse;
use crate::types::{ChatRequest, ChatResponse, Delta, Finish, Role, ToolCall, Usage};

pub const VERSION: &str = "2023-06-01";
/// The forced tool that carries a structured answer.
const ANSWER_TOOL: &str = "answer";

pub struct Anthropic {
    name: String,
    endpoint: Endpoint,
    http: reqwest::Client,
}

impl Anthropic {
    pub fn new(name: impl Into<String>, endpoint: Endpoint) -> Self {
        Anthropic { name: name.into(), endpoint, http: client() }
    }

    fn body(&self, request: &ChatRequest, stream: bool) -> Value {
        let messages: Vec<Value> = request.messages.iter().filter(|m| m.role != Role::System).map(message).collect();
        let mut body = json!({ "model": request.model, "max_tokens": request.max_tokens, "messages": messages });
        if let Some(system) = request.system_prompt() {
            body["system"] = json!(system);
        }
        if let Some(temperature) = request.temperature {
            body["temperature"] = json!(temperature);
        }
        let mut tools: Vec<Value> =
            request.tools.iter().map(|t| json!({ "name": t.name, "description": t.description, "input_schema": t.parameters })).collect();
        if let Some(schema) = &request.json_schema {
            tools.push(json!({ "name": ANSWER_TOOL, "description": "Give the answer in this exact structure.", "input_schema": schema }));
            body["tool_choice"] = json!({ "type": "tool", "name": ANSWER_TOOL });
        }
        if !tools.is_empty() {
            body["tools"] = Value::Array(tools);
        }
        if stream {
            body["stream"] = json!(true);
        }
        body
    }

    async fn send(&self, request: &ChatRequest, stream: bool) -> Result<reqwest::Response, AiError> {
        let mut builder = self
            .http
            .post(self.endpoint.url("v1/messages"))
            .timeout(self.endpoint.timeout)
            .header("anthropic-version", VERSION)
            .json(&self.body(request, stream));
        if let Some(key) = &self.endpoint.api_key {
            builder = builder.header("x-api-key", key);
        }
        let response = builder.send().await.map_err(|e| AiError::from_transport(&self.name, &e))?;
        if !response.status().is_success() {
            return Err(error_from(&self.name, response, classify).await);
        }
        Ok(response)
    }
}

fn message(m: &crate::types::Message) -> Value {
    match m.role {
        Role::Tool => json!({ "role": "user", "content": [{
            "type": "tool_result", "tool_use_id": m.tool_call_id, "content": m.content
        }]}),
        Role::Assistant if !m.tool_calls.is_empty() => {
            let mut blocks = Vec::new();
            if !m.content.is_empty() {
                blocks.push(json!({ "type": "text", "text": m.content }));
            }
            blocks.extend(m.tool_calls.iter().map(|c| json!({ "type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments })));
            json!({ "role": "assistant", "content": blocks })
        }
        Role::Assistant => json!({ "role": "assistant", "content": m.content }),
        Role::User | Role::System if m.images.is_empty() => json!({ "role": "user", "content": m.content }),
        // Vision input: image blocks first, as Anthropic recommends, then the question.
        Role::User | Role::System => {
            let mut blocks: Vec<Value> = m
                .images
                .iter()
                .map(|i| json!({ "type": "image", "source": { "type": "base64", "media_type": i.mime, "data": i.base64 } }))
                .collect();
            blocks.push(json!({ "type": "text", "text": m.content }));
            json!({ "role": "user", "content": blocks })
        }
    }
}

/// Anthropic's error body: `{"type": "error", "error": {"type", "message"}}`.
fn classify(status: u16, body: &Value) -> (ErrorKind, String) {
    let error = &body["error"];
    let message = error["message"].as_str().map(str::to_owned).unwrap_or_else(|| body.to_string());
    let kind = match error["type"].as_str().unwrap_or_default() {
        "rate_limit_error" => ErrorKind::RateLimited,
        "overloaded_error" | "api_error" => ErrorKind::Unavailable,
        "billing_error" => ErrorKind::QuotaExceeded,
        "timeout_error" => ErrorKind::Timeout,
        "invalid_request_error" if message.contains("credit balance") => ErrorKind::QuotaExceeded,
        "authentication_error" | "permission_error" | "not_found_error" | "invalid_request_error" | "request_too_large" => ErrorKind::InvalidRequest,
        _ => kind_of_status(status),
    };
    (kind, message)
}

fn finish(reason: Option<&str>, provider: &str) -> Result<Finish, AiError> {
    match reason {
        Some("max_tokens") => Ok(Finish::Length),
        Some("tool_use") => Ok(Finish::ToolCalls),
        Some("refusal") => Err(AiError::new(ErrorKind::ContentFiltered, provider, "the model refused to answer (stop_reason refusal)")),
        _ => Ok(Finish::Stop),
    }
}

/// Folds the forced answer tool back into text, so callers see structured output the same way
/// for every provider.
fn settle(structured: bool, text: &mut String, calls: &mut Vec<ToolCall>, finish: &mut Finish) {
    if !structured {
        return;
    }
    if let Some(at) = calls.iter().position(|c| c.name == ANSWER_TOOL) {
        let call = calls.remove(at);
        *text = call.arguments.to_string();
        if calls.is_empty() {
            *finish = Finish::Stop;
        }
    }
}

#[async_trait::async_trait]
impl Provider for Anthropic {
    fn name(&self) -> &str {
        &self.name
    }

    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, AiError> {
        let response = self.send(request, false).await?;
        let body: Value = response.json().await.map_err(|e| AiError::from_transport(&self.name, &e))?;
        let mut finish = finish(body["stop_reason"].as_str(), &self.name)?;
        let blocks = body["content"].as_array().ok_or_else(|| malformed(&self.name, "no content"))?;
        let mut text = String::new();
        let mut calls = Vec::new();
        for block in blocks {
            match block["type"].as_str() {
                Some("text") => text.push_str(block["text"].as_str().unwrap_or_default()),
                Some("tool_use") => calls.push(ToolCall {
                    id: block["id"].as_str().unwrap_or_default().to_owned(),
                    name: block["name"].as_str().unwrap_or_default().to_owned(),
                    arguments: block["input"].clone(),
                }),
                _ => {}
            }
        }
        settle(request.json_schema.is_some(), &mut text, &mut calls, &mut finish);
        let usage = Usage {
            input_tokens: body["usage"]["input_tokens"].as_u64().unwrap_or(0),
            output_tokens: body["usage"]["output_tokens"].as_u64().unwrap_or(0),
        };
        Ok(ChatResponse { model: body["model"].as_str().unwrap_or(&request.model).to_owned(), text, tool_calls: calls, usage, finish })
    }

    async fn stream(&self, request: &ChatRequest) -> Result<DeltaStream, AiError> {
        let response = self.send(request, true).await?;
        let provider = self.name.clone();
        let structured = request.json_schema.is_some();
        let mut blocks: BTreeMap<u64, (String, String, String)> = BTreeMap::new();
        let mut usage = Usage::default();
        let deltas = sse::events(provider.clone(), response).flat_map(move |event| {
            let out: Vec<Result<Delta, AiError>> = match event.and_then(|e| {
                serde_json::from_str::<Value>(&e.data).map_err(|error| malformed(&provider, error))
            }) {
                Err(error) => vec![Err(error)],
                Ok(data) => on_event(&data, &mut blocks, &mut usage, structured, &provider),
            };
            futures::stream::iter(out)
        });
        Ok(deltas.boxed())
    }
}

fn on_event(
    data: &Value,
    blocks: &mut BTreeMap<u64, (String, String, String)>,
    usage: &mut Usage,
    structured: bool,
    provider: &str,
) -> Vec<Result<Delta, AiError>> {
    let index = data["index"].as_u64().unwrap_or(0);
    match data["type"].as_str().unwrap_or_default() {
        "message_start" => {
            usage.input_tokens = data["message"]["usage"]["input_tokens"].as_u64().unwrap_or(0);
            usage.output_tokens = data["message"]["usage"]["output_tokens"].as_u64().unwrap_or(0);
            vec![]
        }
        "content_block_start" if data["content_block"]["type"] == "tool_use" => {
            let block = &data["content_block"];
            blocks.insert(index, (block["id"].as_str().unwrap_or_default().to_owned(), block["name"].as_str().unwrap_or_default().to_owned(), String::new()));
            vec![]
        }
        "content_block_delta" => match data["delta"]["type"].as_str() {
            Some("text_delta") => vec![Ok(Delta::Text(data["delta"]["text"].as_str().unwrap_or_default().to_owned()))],
            Some("input_json_delta") => {
                let partial = data["delta"]["partial_json"].as_str().unwrap_or_default();
                match blocks.get_mut(&index) {
                    // The structured answer streams as text, the way other providers send it.
                    Some((_, name, _)) if structured && name == ANSWER_TOOL => vec![Ok(Delta::Text(partial.to_owned()))],
                    Some(block) => {
                        block.2.push_str(partial);
                        vec![]
                    }
                    None => vec![],
                }
            }
            _ => vec![],
        },
        "content_block_stop" => match blocks.remove(&index) {
            Some((_, name, _)) if structured && name == ANSWER_TOOL => vec![],
            Some((id, name, args)) => vec![Ok(Delta::ToolCall(ToolCall { id, name, arguments: parse_arguments(&args) }))],
            None => vec![],
        },
        "message_delta" => {
            usage.output_tokens = data["usage"]["output_tokens"].as_u64().unwrap_or(usage.output_tokens);
            let finish = match finish(data["delta"]["stop_reason"].as_str(), provider) {
                Ok(Finish::ToolCalls) if structured => Finish::Stop,
                other => match other {
                    Ok(finish) => finish,
                    Err(error) => return vec![Err(error)],
                },
            };
            vec![Ok(Delta::Usage(*usage)), Ok(Delta::Finish(finish))]
        }
        "error" => {
            let (kind, message) = classify(500, data);
            vec![Err(AiError::new(kind, provider, message))]
        }
        _ => vec![],
    }
}
