//! Google Gemini `POST {base}/models/{model}:generateContent` and
//! `:streamGenerateContent?alt=sse`: key in the `x-goog-api-key` header (never in the URL, so it
//! cannot leak through logged URLs), `contents` with `parts`, `systemInstruction`,
//! `tools[].functionDeclarations` and `functionCall` parts, and `generationConfig` with
//! `responseMimeType`/`responseSchema` for structured output. Every SSE event is a whole
//! `GenerateContentResponse`; the stream simply ends (no `[DONE]`).

use futures::StreamExt;
use serde_json::{Value, json};

use super::{Endpoint, client, error_from, kind_of_status, malformed};
use crate::error::{AiError, ErrorKind};
use crate::provider::{DeltaStream, Provider};
use crate::sse;
use crate::types::{ChatRequest, ChatResponse, Delta, Finish, Role, ToolCall, Usage};

pub struct Gemini {
    name: String,
    endpoint: Endpoint,
    http: reqwest::Client,
}

impl Gemini {
    pub fn new(name: impl Into<String>, endpoint: Endpoint) -> Self {
        Gemini { name: name.into(), endpoint, http: client() }
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let contents: Vec<Value> = request.messages.iter().filter(|m| m.role != Role::System).map(content).collect();
        let mut config = json!({ "maxOutputTokens": request.max_tokens });
        if let Some(temperature) = request.temperature {
            config["temperature"] = json!(temperature);
        }
        if let Some(schema) = &request.json_schema {
            config["responseMimeType"] = json!("application/json");
            config["responseSchema"] = schema.clone();
        }
        let mut body = json!({ "contents": contents, "generationConfig": config });
        if let Some(system) = request.system_prompt() {
            body["systemInstruction"] = json!({ "parts": [{ "text": system }] });
        }
        if !request.tools.is_empty() {
            let declarations: Vec<Value> =
                request.tools.iter().map(|t| json!({ "name": t.name, "description": t.description, "parameters": t.parameters })).collect();
            body["tools"] = json!([{ "functionDeclarations": declarations }]);
        }
        body
    }

    async fn send(&self, request: &ChatRequest, stream: bool) -> Result<reqwest::Response, AiError> {
        let path = if stream {
            format!("models/{}:streamGenerateContent?alt=sse", request.model)
        } else {
            format!("models/{}:generateContent", request.model)
        };
        let mut builder = self.http.post(self.endpoint.url(&path)).timeout(self.endpoint.timeout).json(&self.body(request));
        if let Some(key) = &self.endpoint.api_key {
            builder = builder.header("x-goog-api-key", key);
        }
        let response = builder.send().await.map_err(|e| AiError::from_transport(&self.name, &e))?;
        if !response.status().is_success() {
            let mut error = error_from(&self.name, response, classify).await;
            error.retry_after = error.retry_after.or_else(|| retry_delay(&error.message));
            return Err(error);
        }
        Ok(response)
    }
}

fn content(m: &crate::types::Message) -> Value {
    match m.role {
        Role::Tool => {
            let name = m.tool_calls.first().map(|c| c.name.clone()).unwrap_or_default();
            let response = serde_json::from_str::<Value>(&m.content).ok().filter(Value::is_object).unwrap_or_else(|| json!({ "result": m.content }));
            json!({ "role": "user", "parts": [{ "functionResponse": { "name": name, "response": response } }] })
        }
        Role::Assistant => {
            let mut parts = Vec::new();
            if !m.content.is_empty() {
                parts.push(json!({ "text": m.content }));
            }
            parts.extend(m.tool_calls.iter().map(|c| json!({ "functionCall": { "name": c.name, "args": c.arguments } })));
            json!({ "role": "model", "parts": parts })
        }
        Role::User | Role::System => {
            let mut parts = vec![json!({ "text": m.content })];
            parts.extend(m.images.iter().map(|i| json!({ "inlineData": { "mimeType": i.mime, "data": i.base64 } })));
            json!({ "role": "user", "parts": parts })
        }
    }
}

/// Google's error body: `{"error": {"code", "message", "status", "details"}}`. RESOURCE_EXHAUSTED
/// covers both throttling and used-up quota; a daily or billing quota is the latter.
fn classify(status: u16, body: &Value) -> (ErrorKind, String) {
    let error = &body["error"];
    let message = error["message"].as_str().map(str::to_owned).unwrap_or_else(|| body.to_string());
    let details = error["details"].to_string();
    let kind = match error["status"].as_str().unwrap_or_default() {
        "RESOURCE_EXHAUSTED" if details.contains("PerDay") || message.contains("billing") => ErrorKind::QuotaExceeded,
        "RESOURCE_EXHAUSTED" => ErrorKind::RateLimited,
        "UNAVAILABLE" | "INTERNAL" => ErrorKind::Unavailable,
        "DEADLINE_EXCEEDED" => ErrorKind::Timeout,
        "INVALID_ARGUMENT" | "PERMISSION_DENIED" | "UNAUTHENTICATED" | "NOT_FOUND" | "FAILED_PRECONDITION" => ErrorKind::InvalidRequest,
        _ => kind_of_status(status),
    };
    // RetryInfo travels in details; keep its delay visible to `retry_delay`.
    let retry = error["details"].as_array().into_iter().flatten().find_map(|d| d["retryDelay"].as_str()).map(|d| format!(" [retryDelay {d}]")).unwrap_or_default();
    (kind, format!("{message}{retry}"))
}

/// The `RetryInfo.retryDelay` ("30s", "1.5s") carried in the message by [`classify`].
fn retry_delay(message: &str) -> Option<std::time::Duration> {
    let start = message.find("[retryDelay ")? + "[retryDelay ".len();
    let rest = &message[start..];
    let seconds = rest.split(['s', ']']).next()?.parse::<f64>().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| std::time::Duration::from_secs_f64(seconds))
}

/// One `GenerateContentResponse`: its text, calls, usage and finish, or a safety block.
struct Piece {
    text: String,
    calls: Vec<ToolCall>,
    usage: Option<Usage>,
    finish: Option<Finish>,
}

fn piece(body: &Value, provider: &str, next_id: &mut usize) -> Result<Piece, AiError> {
    if let Some(reason) = body["promptFeedback"]["blockReason"].as_str() {
        return Err(AiError::new(ErrorKind::ContentFiltered, provider, format!("the prompt was blocked ({reason})")));
    }
    let usage = body.get("usageMetadata").map(|u| Usage {
        input_tokens: u["promptTokenCount"].as_u64().unwrap_or(0),
        output_tokens: u["candidatesTokenCount"].as_u64().unwrap_or(0),
    });
    let Some(candidate) = body["candidates"].get(0) else {
        return Ok(Piece { text: String::new(), calls: Vec::new(), usage, finish: None });
    };
    let mut text = String::new();
    let mut calls = Vec::new();
    for part in candidate["content"]["parts"].as_array().into_iter().flatten() {
        if let Some(t) = part["text"].as_str() {
            text.push_str(t);
        }
        if let Some(call) = part.get("functionCall") {
            *next_id += 1;
            let id = call["id"].as_str().map(str::to_owned).unwrap_or_else(|| format!("call_{next_id}"));
            calls.push(ToolCall { id, name: call["name"].as_str().unwrap_or_default().to_owned(), arguments: call["args"].clone() });
        }
    }
    let finish = match candidate["finishReason"].as_str() {
        None => None,
        Some("SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII") => {
            let reason = candidate["finishReason"].as_str().unwrap_or_default();
            return Err(AiError::new(ErrorKind::ContentFiltered, provider, format!("the answer was blocked ({reason})")));
        }
        Some("MAX_TOKENS") => Some(Finish::Length),
        Some(_) if !calls.is_empty() => Some(Finish::ToolCalls),
        Some(_) => Some(Finish::Stop),
    };
    Ok(Piece { text, calls, usage, finish })
}

#[async_trait::async_trait]
impl Provider for Gemini {
    fn name(&self) -> &str {
        &self.name
    }

    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, AiError> {
        let response = self.send(request, false).await?;
        let body: Value = response.json().await.map_err(|e| AiError::from_transport(&self.name, &e))?;
        if body["candidates"].get(0).is_none() && body["promptFeedback"]["blockReason"].is_null() {
            return Err(malformed(&self.name, "no candidates"));
        }
        let piece = piece(&body, &self.name, &mut 0)?;
        Ok(ChatResponse {
            model: body["modelVersion"].as_str().unwrap_or(&request.model).to_owned(),
            finish: piece.finish.unwrap_or(if piece.calls.is_empty() { Finish::Stop } else { Finish::ToolCalls }),
            text: piece.text,
            tool_calls: piece.calls,
            usage: piece.usage.unwrap_or_default(),
        })
    }

    async fn stream(&self, request: &ChatRequest) -> Result<DeltaStream, AiError> {
        let response = self.send(request, true).await?;
        let provider = self.name.clone();
        let mut next_id = 0;
        let deltas = sse::events(provider.clone(), response).flat_map(move |event| {
            let out: Vec<Result<Delta, AiError>> = match event
                .and_then(|e| serde_json::from_str::<Value>(&e.data).map_err(|error| malformed(&provider, error)))
            {
                Err(error) => vec![Err(error)],
                Ok(body) if body.get("error").is_some() => {
                    let (kind, message) = classify(500, &body);
                    vec![Err(AiError::new(kind, &provider, message))]
                }
                Ok(body) => match piece(&body, &provider, &mut next_id) {
                    Err(error) => vec![Err(error)],
                    Ok(piece) => {
                        let mut out = Vec::new();
                        if !piece.text.is_empty() {
                            out.push(Ok(Delta::Text(piece.text)));
                        }
                        out.extend(piece.calls.into_iter().map(|c| Ok(Delta::ToolCall(c))));
                        out.extend(piece.usage.map(|u| Ok(Delta::Usage(u))));
                        out.extend(piece.finish.map(|f| Ok(Delta::Finish(f))));
                        out
                    }
                },
            };
            futures::stream::iter(out)
        });
        Ok(deltas.boxed())
    }
}
