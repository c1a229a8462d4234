//! Fake OpenAI-compatible `POST /v1/chat/completions`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};

use super::{FakeProvider, Fault, KEY, Scripted, State, echo, json_response, maybe_slow, pieces, sample, sse_response, with_retry_after};

pub async fn spawn() -> FakeProvider {
    FakeProvider::spawn(Router::new().route("/v1/chat/completions", post(handle)), "/v1").await
}

fn error(status: StatusCode, message: &str, kind: &str, code: Option<&str>) -> Response {
    json_response(status, json!({ "error": { "message": message, "type": kind, "param": null, "code": code } }))
}

async fn handle(Extract(state): Extract<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(KEY) {
        return error(StatusCode::UNAUTHORIZED, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", Some("invalid_api_key"));
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "We could not parse the JSON body of your request.", "invalid_request_error", None);
    };
    if let Err(message) = check(&body) {
        return error(StatusCode::BAD_REQUEST, &message, "invalid_request_error", None);
    }
    let fault = state.call(&body);
    maybe_slow(&fault).await;
    match fault {
        Some(Fault::RateLimited { retry_after_secs }) => {
            return with_retry_after(error(StatusCode::TOO_MANY_REQUESTS, "Rate limit reached for requests", "requests", Some("rate_limit_exceeded")), retry_after_secs);
        }
        Some(Fault::QuotaExceeded) => {
            return error(StatusCode::TOO_MANY_REQUESTS, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", Some("insufficient_quota"));
        }
        Some(Fault::ServerError) => return error(StatusCode::INTERNAL_SERVER_ERROR, "The server had an error while processing your request.", "server_error", None),
        _ => {}
    }
    let filtered = fault == Some(Fault::ContentFiltered);
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    let (text, calls) = match state.scripted() {
        Some(Scripted::Text(text)) => (text, Vec::new()),
        Some(Scripted::ToolCall { name, arguments }) => {
            let id = format!("call_scripted_{}", state.calls.load(std::sync::atomic::Ordering::SeqCst));
            (String::new(), vec![json!({ "id": id, "type": "function", "function": { "name": name, "arguments": arguments.to_string() } })])
        }
        None => answer(&body),
    };
    let finish = if filtered { "content_filter" } else if calls.is_empty() { "stop" } else { "tool_calls" };
    let usage = json!({ "prompt_tokens": 12, "completion_tokens": text.split_whitespace().count() + 1, "total_tokens": 0 });
    if body["stream"] == json!(true) {
        let mut events = vec![(None, chunk(&model, json!({ "role": "assistant", "content": "" }), None))];
        if !filtered {
            for piece in pieces(&text) {
                events.push((None, chunk(&model, json!({ "content": piece }), None)));
            }
            for (index, call) in calls.iter().enumerate() {
                // As OpenAI does: id and name first, the arguments in two fragments.
                let args = call["function"]["arguments"].as_str().unwrap_or_default().to_owned();
                let (a, b) = args.split_at(args.len() / 2);
                events.push((None, chunk(&model, json!({ "tool_calls": [{ "index": index, "id": call["id"], "type": "function", "function": { "name": call["function"]["name"], "arguments": "" } }] }), None)));
                events.push((None, chunk(&model, json!({ "tool_calls": [{ "index": index, "function": { "arguments": a } }] }), None)));
                events.push((None, chunk(&model, json!({ "tool_calls": [{ "index": index, "function": { "arguments": b } }] }), None)));
            }
        }
        events.push((None, chunk(&model, json!({}), Some(finish))));
        if body["stream_options"]["include_usage"] == json!(true) {
            events.push((None, json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, "choices": [], "usage": usage })));
        }
        return sse_response(events, true);
    }
    let message = if filtered {
        json!({ "role": "assistant", "content": null })
    } else if calls.is_empty() {
        json!({ "role": "assistant", "content": text })
    } else {
        json!({ "role": "assistant", "content": null, "tool_calls": calls })
    };
    json_response(StatusCode::OK, json!({
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{ "index": 0, "message": message, "finish_reason": finish }],
        "usage": usage,
    }))
}

fn chunk(model: &str, delta: Value, finish: Option<&str>) -> Value {
    json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }] })
}

fn check(body: &Value) -> Result<(), String> {
    if !body["model"].is_string() {
        return Err("you must provide a model parameter".into());
    }
    let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
        return Err("'messages' must contain at least one message".into());
    };
    for (i, message) in messages.iter().enumerate() {
        match message["role"].as_str() {
            Some("system" | "user" | "assistant" | "developer") => {}
            Some("tool") if message["tool_call_id"].is_string() => {}
            Some("tool") => return Err(format!("messages[{i}]: missing required parameter 'tool_call_id'")),
            _ => return Err(format!("messages[{i}].role: invalid value")),
        }
        for part in message["content"].as_array().into_iter().flatten() {
            match part["type"].as_str() {
                Some("text") if part["text"].is_string() => {}
                Some("image_url") => {
                    let url = part["image_url"]["url"].as_str().unwrap_or_default();
                    let Some((mime, data)) = url.strip_prefix("data:").and_then(|u| u.split_once(";base64,")) else {
                        return Err(format!("messages[{i}]: Invalid image_url: expected a data URL or an http(s) URL"));
                    };
                    super::check_image(mime, data).map_err(|e| format!("messages[{i}]: Invalid image: {e}"))?;
                }
                _ => return Err(format!("messages[{i}].content: invalid content part")),
            }
        }
    }
    if let Some(format) = body.get("response_format")
        && format["type"] == "json_schema"
        && !format["json_schema"]["schema"].is_object()
    {
        return Err("response_format.json_schema.schema is required".into());
    }
    Ok(())
}

/// Echoes the last user message, calls the first tool unless a tool result came back, or
/// answers with an object matching the asked schema.
fn answer(body: &Value) -> (String, Vec<Value>) {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    let last = messages.last().cloned().unwrap_or(Value::Null);
    let user = messages.iter().rev().find(|m| m["role"] == "user").map(text_of).unwrap_or_default();
    if let Some(tool) = body["tools"].get(0)
        && last["role"] != "tool"
    {
        let function = &tool["function"];
        let call = json!({ "id": "call_fake_1", "type": "function",
                           "function": { "name": function["name"], "arguments": sample(&function["parameters"]).to_string() } });
        return (String::new(), vec![call]);
    }
    if last["role"] == "tool" {
        return (format!("Tool said: {}", last["content"].as_str().unwrap_or_default()), Vec::new());
    }
    if body["response_format"]["type"] == "json_schema" {
        return (sample(&body["response_format"]["json_schema"]["schema"]).to_string(), Vec::new());
    }
    (echo(&user), Vec::new())
}

/// A message's text, whether its content is a string or a list of parts.
fn text_of(message: &Value) -> String {
    match &message["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join(" "),
        _ => String::new(),
    }
}
