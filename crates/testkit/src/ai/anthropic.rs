//! Fake Anthropic `POST /v1/messages`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};

use super::{FakeProvider, Fault, KEY, State, echo, json_response, maybe_slow, pieces, sample, sse_response, with_retry_after};

pub async fn spawn() -> FakeProvider {
    FakeProvider::spawn(Router::new().route("/v1/messages", post(handle)), "").await
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    json_response(status, json!({ "type": "error", "error": { "type": kind, "message": message } }))
}

async fn handle(Extract(state): Extract<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    match headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        None => return error(StatusCode::UNAUTHORIZED, "authentication_error", "x-api-key header is required"),
        Some(key) if key != KEY => return error(StatusCode::UNAUTHORIZED, "authentication_error", "invalid x-api-key"),
        Some(_) => {}
    }
    if headers.get("anthropic-version").is_none() {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "anthropic-version: header is required");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "There was an issue with the request body: invalid JSON");
    };
    if let Err(message) = check(&body) {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", &message);
    }
    let fault = state.call(&body);
    maybe_slow(&fault).await;
    match fault {
        Some(Fault::RateLimited { retry_after_secs }) => {
            return with_retry_after(error(StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), retry_after_secs);
        }
        Some(Fault::QuotaExceeded) => {
            return error(StatusCode::BAD_REQUEST, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.");
        }
        Some(Fault::ServerError) => return error(StatusCode::from_u16(529).unwrap(), "overloaded_error", "Overloaded"),
        _ => {}
    }
    let filtered = fault == Some(Fault::ContentFiltered);
    let model = body["model"].as_str().unwrap_or_default().to_owned();
    let blocks = if filtered { Vec::new() } else { answer(&body) };
    let stop = if filtered {
        "refusal"
    } else if blocks.iter().any(|b| b["type"] == "tool_use") {
        "tool_use"
    } else {
        "end_turn"
    };
    let output_tokens = 5;
    if body["stream"] == json!(true) {
        let mut events = vec![(Some("message_start"), json!({ "type": "message_start", "message": {
            "id": "msg_fake", "type": "message", "role": "assistant", "content": [], "model": model,
            "stop_reason": null, "usage": { "input_tokens": 12, "output_tokens": 1 } } }))];
        events.push((Some("ping"), json!({ "type": "ping" })));
        for (index, block) in blocks.iter().enumerate() {
            if block["type"] == "text" {
                events.push((Some("content_block_start"), json!({ "type": "content_block_start", "index": index, "content_block": { "type": "text", "text": "" } })));
                for piece in pieces(block["text"].as_str().unwrap_or_default()) {
                    events.push((Some("content_block_delta"), json!({ "type": "content_block_delta", "index": index, "delta": { "type": "text_delta", "text": piece } })));
                }
            } else {
                events.push((Some("content_block_start"), json!({ "type": "content_block_start", "index": index, "content_block": { "type": "tool_use", "id": block["id"], "name": block["name"], "input": {} } })));
                let input = block["input"].to_string();
                let (a, b) = input.split_at(input.len() / 2);
                for part in [a, b] {
                    events.push((Some("content_block_delta"), json!({ "type": "content_block_delta", "index": index, "delta": { "type": "input_json_delta", "partial_json": part } })));
                }
            }
            events.push((Some("content_block_stop"), json!({ "type": "content_block_stop", "index": index })));
        }
        events.push((Some("message_delta"), json!({ "type": "message_delta", "delta": { "stop_reason": stop, "stop_sequence": null }, "usage": { "output_tokens": output_tokens } })));
        events.push((Some("message_stop"), json!({ "type": "message_stop" })));
        return sse_response(events, false);
    }
    json_response(StatusCode::OK, json!({
        "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": blocks,
        "stop_reason": stop, "stop_sequence": null, "usage": { "input_tokens": 12, "output_tokens": output_tokens },
    }))
}

fn check(body: &Value) -> Result<(), String> {
    if !body["model"].is_string() {
        return Err("model: Field required".into());
    }
    if !body["max_tokens"].is_u64() {
        return Err("max_tokens: Field required".into());
    }
    let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
        return Err("messages: at least one message is required".into());
    };
    for (i, message) in messages.iter().enumerate() {
        let role = message["role"].as_str();
        if !matches!(role, Some("user" | "assistant")) {
            return Err(format!("messages.{i}.role: Input should be 'user' or 'assistant'"));
        }
        if i == 0 && role != Some("user") {
            return Err("messages: first message must use the \"user\" role".into());
        }
        for block in message["content"].as_array().into_iter().flatten().filter(|b| b["type"] == "image") {
            let source = &block["source"];
            if source["type"] != "base64" {
                return Err(format!("messages.{i}.content: image source type must be 'base64' or 'url'"));
            }
            super::check_image(source["media_type"].as_str().unwrap_or_default(), source["data"].as_str().unwrap_or_default())
                .map_err(|e| format!("messages.{i}.content: {e}"))?;
        }
        if i > 0 && messages[i - 1]["role"] == message["role"] {
            return Err("messages: roles must alternate between \"user\" and \"assistant\"".into());
        }
    }
    for (i, tool) in body["tools"].as_array().into_iter().flatten().enumerate() {
        if !tool["input_schema"].is_object() || !tool["name"].is_string() {
            return Err(format!("tools.{i}.input_schema: Field required"));
        }
    }
    Ok(())
}

fn last_user_text(body: &Value) -> (String, Option<String>) {
    let last = body["messages"].as_array().and_then(|m| m.last()).cloned().unwrap_or(Value::Null);
    match &last["content"] {
        Value::String(text) => (text.clone(), None),
        Value::Array(blocks) => {
            let result = blocks.iter().find(|b| b["type"] == "tool_result").and_then(|b| b["content"].as_str()).map(str::to_owned);
            let text = blocks.iter().filter_map(|b| b["text"].as_str()).collect::<Vec<_>>().join(" ");
            (text, result)
        }
        _ => (String::new(), None),
    }
}

fn answer(body: &Value) -> Vec<Value> {
    let (user, tool_result) = last_user_text(body);
    if let Some(result) = tool_result {
        return vec![json!({ "type": "text", "text": format!("Tool said: {result}") })];
    }
    let forced = body["tool_choice"]["name"].as_str();
    let tool = match forced {
        Some(name) => body["tools"].as_array().and_then(|t| t.iter().find(|t| t["name"] == name)).cloned(),
        None => body["tools"].get(0).cloned(),
    };
    if let Some(tool) = tool {
        return vec![json!({ "type": "tool_use", "id": "toolu_fake_1", "name": tool["name"], "input": sample(&tool["input_schema"]) })];
    }
    vec![json!({ "type": "text", "text": echo(&user) })]
}
