//! OpenAI-compatible `POST {base}/chat/completions` (OpenAI, Ollama, vLLM, llama.cpp server,
//! OpenRouter…): bearer key, `tools`/`tool_calls`, `response_format` with a JSON schema, and SSE
//! streaming of `chat.completion.chunk` objects ending with `data: [DONE]`.

use std::collections::BTreeMap;

use futures::StreamExt;
use serde_json::{Value, json};

use super::{Endpoint, client, error_from, kind_of_status, malformed, parse_arguments};
use crate::error::{AiError, ErrorKind};
use crate::provider::{DeltaStream, Provider};
use crate::sse;
use crate::types::{ChatRequest, ChatResponse, Delta, Finish, Role, ToolCall, Usage};

pub struct OpenAi {
    name: String,
    endpoint: Endpoint,
    http: reqwest::Client,
}

impl OpenAi {
    pub fn new(name: impl Into<String>, endpoint: Endpoint) -> Self {
        OpenAi { name: name.into(), endpoint, http: client() }
    }

    fn body(&self, request: &ChatRequest, stream: bool) -> Value {
        let messages: Vec<Value> = request.messages.iter().map(message).collect();
        let mut body = json!({ "model": request.model, "messages": messages, "max_tokens": request.max_tokens });
        if let Some(temperature) = request.temperature {
            body["temperature"] = json!(temperature);
        }
        if let Some(schema) = &request.json_schema {
            body["response_format"] =
                json!({ "type": "json_schema", "json_schema": { "name": "answer", "schema": schema, "strict": true } });
        }
        if !request.tools.is_empty() {
            body["tools"] = request
                .tools
                .iter()
                .map(|t| json!({ "type": "function", "function": { "name": t.name, "description": t.description, "parameters": t.parameters } }))
                .collect();
        }
        if stream {
            body["stream"] = json!(true);
            body["stream_options"] = json!({ "include_usage": true });
        }
        body
    }

    async fn send(&self, request: &ChatRequest, stream: bool) -> Result<reqwest::Response, AiError> {
        let mut builder = self.http.post(self.endpoint.url("chat/completions")).timeout(self.endpoint.timeout).json(&self.body(request, stream));
        if let Some(key) = &self.endpoint.api_key {
            builder = builder.bearer_auth(key);
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
        Role::System => json!({ "role": "system", "content": m.content }),
        Role::User if m.images.is_empty() => json!({ "role": "user", "content": m.content }),
        // Vision input: content parts, each picture as a data URL.
        Role::User => {
            let mut parts = vec![json!({ "type": "text", "text": m.content })];
            parts.extend(m.images.iter().map(|i| json!({ "type": "image_url", "image_url": { "url": i.data_url() } })));
            json!({ "role": "user", "content": parts })
        }
        Role::Assistant if m.tool_calls.is_empty() => json!({ "role": "assistant", "content": m.content }),
        Role::Assistant => json!({
            "role": "assistant",
            "content": if m.content.is_empty() { Value::Null } else { json!(m.content) },
            "tool_calls": m.tool_calls.iter().map(|c| json!({
                "id": c.id, "type": "function",
                "function": { "name": c.name, "arguments": c.arguments.to_string() }
            })).collect::<Vec<_>>()
        }),
        Role::Tool => json!({ "role": "tool", "tool_call_id": m.tool_call_id, "content": m.content }),
    }
}

/// OpenAI's error body: `{"error": {"message", "type", "code"}}`.
fn classify(status: u16, body: &Value) -> (ErrorKind, String) {
    let error = &body["error"];
    let code = error["code"].as_str().or(error["type"].as_str()).unwrap_or_default();
    let message = error["message"].as_str().map(str::to_owned).unwrap_or_else(|| body.to_string());
    let kind = match code {
        "insufficient_quota" | "billing_hard_limit_reached" => ErrorKind::QuotaExceeded,
        "content_filter" | "content_policy_violation" => ErrorKind::ContentFiltered,
        _ => kind_of_status(status),
    };
    (kind, message)
}

fn finish(reason: Option<&str>, provider: &str) -> Result<Finish, AiError> {
    match reason {
        Some("length") => Ok(Finish::Length),
        Some("tool_calls") | Some("function_call") => Ok(Finish::ToolCalls),
        Some("content_filter") => Err(AiError::new(ErrorKind::ContentFiltered, provider, "the answer was withheld by the content filter")),
        _ => Ok(Finish::Stop),
    }
}

fn usage(value: &Value) -> Usage {
    Usage { input_tokens: value["prompt_tokens"].as_u64().unwrap_or(0), output_tokens: value["completion_tokens"].as_u64().unwrap_or(0) }
}

#[async_trait::async_trait]
impl Provider for OpenAi {
    fn name(&self) -> &str {
        &self.name
    }

    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, AiError> {
        let response = self.send(request, false).await?;
        let body: Value = response.json().await.map_err(|e| AiError::from_transport(&self.name, &e))?;
        let choice = body["choices"].get(0).ok_or_else(|| malformed(&self.name, "no choices"))?;
        let finish = finish(choice["finish_reason"].as_str(), &self.name)?;
        let message = &choice["message"];
        if let Some(refusal) = message["refusal"].as_str() {
            return Err(AiError::new(ErrorKind::ContentFiltered, &self.name, refusal));
        }
        let tool_calls = message["tool_calls"]
            .as_array()
            .map(|calls| {
                calls
                    .iter()
                    .map(|c| ToolCall {
                        id: c["id"].as_str().unwrap_or_default().to_owned(),
                        name: c["function"]["name"].as_str().unwrap_or_default().to_owned(),
                        arguments: parse_arguments(c["function"]["arguments"].as_str().unwrap_or_default()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(ChatResponse {
            model: body["model"].as_str().unwrap_or(&request.model).to_owned(),
            text: message["content"].as_str().unwrap_or_default().to_owned(),
            tool_calls,
            usage: usage(&body["usage"]),
            finish,
        })
    }

    async fn stream(&self, request: &ChatRequest) -> Result<DeltaStream, AiError> {
        let response = self.send(request, true).await?;
        let provider = self.name.clone();
        // Tool calls arrive as fragments keyed by index: id and name first, arguments accreting.
        let mut pending: BTreeMap<u64, (String, String, String)> = BTreeMap::new();
        let events = sse::events(provider.clone(), response);
        let deltas = events.flat_map(move |event| {
            let out: Vec<Result<Delta, AiError>> = match event {
                Err(error) => vec![Err(error)],
                Ok(event) if event.data.trim() == "[DONE]" => {
                    std::mem::take(&mut pending).into_values().map(|(id, name, args)| Ok(Delta::ToolCall(ToolCall { id, name, arguments: parse_arguments(&args) }))).collect()
                }
                Ok(event) => match serde_json::from_str::<Value>(&event.data) {
                    Err(error) => vec![Err(malformed(&provider, error))],
                    Ok(chunk) if chunk.get("error").is_some() => {
                        let (kind, message) = classify(500, &chunk);
                        vec![Err(AiError::new(kind, &provider, message))]
                    }
                    Ok(chunk) => chunk_deltas(&chunk, &mut pending, &provider),
                },
            };
            futures::stream::iter(out)
        });
        Ok(deltas.boxed())
    }
}

fn chunk_deltas(chunk: &Value, pending: &mut BTreeMap<u64, (String, String, String)>, provider: &str) -> Vec<Result<Delta, AiError>> {
    let mut out = Vec::new();
    if chunk["usage"].is_object() {
        out.push(Ok(Delta::Usage(usage(&chunk["usage"]))));
    }
    let Some(choice) = chunk["choices"].get(0) else { return out };
    let delta = &choice["delta"];
    if let Some(text) = delta["content"].as_str().filter(|t| !t.is_empty()) {
        out.push(Ok(Delta::Text(text.to_owned())));
    }
    for call in delta["tool_calls"].as_array().into_iter().flatten() {
        let entry = pending.entry(call["index"].as_u64().unwrap_or(0)).or_default();
        if let Some(id) = call["id"].as_str() {
            entry.0 = id.to_owned();
        }
        if let Some(name) = call["function"]["name"].as_str() {
            entry.1.push_str(name);
        }
        if let Some(args) = call["function"]["arguments"].as_str() {
            entry.2.push_str(args);
        }
    }
    if let Some(reason) = choice["finish_reason"].as_str() {
        for (_, (id, name, args)) in std::mem::take(pending) {
            out.push(Ok(Delta::ToolCall(ToolCall { id, name, arguments: parse_arguments(&args) })));
        }
        out.push(finish(Some(reason), provider).map(Delta::Finish));
    }
    out
}
