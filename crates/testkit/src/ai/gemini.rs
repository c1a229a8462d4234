//! Fake Google Gemini `POST /v1beta/models/{model}:generateContent` and
//! `:streamGenerateContent?alt=sse`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};

use super::{FakeProvider, Fault, KEY, State, echo, json_response, maybe_slow, pieces, sample, sse_response};

pub async fn spawn() -> FakeProvider {
    FakeProvider::spawn(Router::new().route("/v1beta/models/{call}", post(handle)), "/v1beta").await
}

fn error(code: u16, status: &str, message: &str, details: Value) -> Response {
    json_response(StatusCode::from_u16(code).unwrap(), json!({ "error": { "code": code, "message": message, "status": status, "details": details } }))
}

async fn handle(Extract(state): Extract<Arc<State>>, Path(call): Path<String>, RawQuery(query): RawQuery, headers: HeaderMap, body: Bytes) -> Response {
    let Some((model, method)) = call.split_once(':') else {
        return error(404, "NOT_FOUND", "Requested entity was not found.", json!([]));
    };
    let stream = match method {
        "generateContent" => false,
        "streamGenerateContent" => true,
        _ => return error(404, "NOT_FOUND", "Requested entity was not found.", json!([])),
    };
    // Gemini itself answers a missing key with 403 PERMISSION_DENIED and a wrong one with 400.
    match headers.get("x-goog-api-key").and_then(|v| v.to_str().ok()) {
        None => return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", json!([])),
        Some(key) if key != KEY => return error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", json!([{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID" }])),
        Some(_) => {}
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.", json!([]));
    };
    if let Err(message) = check(&body) {
        return error(400, "INVALID_ARGUMENT", &message, json!([]));
    }
    let fault = state.call(&body);
    maybe_slow(&fault).await;
    match fault {
        Some(Fault::RateLimited { retry_after_secs }) => {
            return error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", json!([
                { "@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{ "quotaId": "GenerateRequestsPerMinutePerProjectPerModel" }] },
                { "@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": format!("{retry_after_secs}s") }
            ]));
        }
        Some(Fault::QuotaExceeded) => {
            return error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", json!([
                { "@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{ "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier" }] }
            ]));
        }
        Some(Fault::ServerError) => return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", json!([])),
        _ => {}
    }
    if stream && query.as_deref() != Some("alt=sse") {
        // Without alt=sse Gemini streams a JSON array; the client always asks for SSE.
        return error(400, "INVALID_ARGUMENT", "this fake only speaks alt=sse", json!([]));
    }
    let usage = json!({ "promptTokenCount": 12, "candidatesTokenCount": 5, "totalTokenCount": 17 });
    if fault == Some(Fault::ContentFiltered) {
        let body = json!({ "candidates": [{ "content": { "role": "model", "parts": [] }, "finishReason": "SAFETY", "index": 0 }], "usageMetadata": usage, "modelVersion": model });
        return if stream { sse_response(vec![(None, body)], false) } else { json_response(StatusCode::OK, body) };
    }
    let parts = answer(&body);
    let candidate = |parts: Value, finish: Option<&str>| {
        let mut c = json!({ "content": { "role": "model", "parts": parts }, "index": 0 });
        if let Some(finish) = finish {
            c["finishReason"] = json!(finish);
        }
        c
    };
    if stream {
        let mut events = Vec::new();
        let text = parts.iter().filter_map(|p| p["text"].as_str()).collect::<String>();
        for piece in pieces(&text) {
            events.push((None, json!({ "candidates": [candidate(json!([{ "text": piece }]), None)], "modelVersion": model })));
        }
        let calls: Vec<Value> = parts.iter().filter(|p| p.get("functionCall").is_some()).cloned().collect();
        events.push((None, json!({ "candidates": [candidate(json!(calls), Some("STOP"))], "usageMetadata": usage, "modelVersion": model })));
        return sse_response(events, false);
    }
    json_response(StatusCode::OK, json!({ "candidates": [candidate(json!(parts), Some("STOP"))], "usageMetadata": usage, "modelVersion": model }))
}

fn check(body: &Value) -> Result<(), String> {
    let Some(contents) = body["contents"].as_array().filter(|c| !c.is_empty()) else {
        return Err("* GenerateContentRequest.contents: contents is not specified".into());
    };
    for (i, content) in contents.iter().enumerate() {
        if !matches!(content["role"].as_str(), Some("user" | "model") | None) {
            return Err(format!("Please use a valid role: user, model. (contents[{i}])"));
        }
        if content["parts"].as_array().is_none_or(|p| p.is_empty()) {
            return Err(format!("* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty."));
        }
        // The JSON mapping accepts both spellings, as the real service does.
        for part in content["parts"].as_array().into_iter().flatten() {
            if let Some(inline) = part.get("inlineData").or_else(|| part.get("inline_data")) {
                let mime = inline.get("mimeType").or_else(|| inline.get("mime_type")).and_then(Value::as_str).unwrap_or_default();
                super::check_image(mime, inline["data"].as_str().unwrap_or_default())
                    .map_err(|e| format!("* GenerateContentRequest.contents[{i}].parts: {e}"))?;
            }
        }
    }
    let config = &body["generationConfig"];
    if config.get("responseSchema").is_some() && config["responseMimeType"] != "application/json" {
        return Err("* GenerateContentRequest.generation_config.response_mime_type: responseSchema requires responseMimeType application/json".into());
    }
    Ok(())
}

fn answer(body: &Value) -> Vec<Value> {
    let last = body["contents"].as_array().and_then(|c| c.last()).cloned().unwrap_or(Value::Null);
    let parts = last["parts"].as_array().cloned().unwrap_or_default();
    if let Some(response) = parts.iter().find_map(|p| p.get("functionResponse")) {
        return vec![json!({ "text": format!("Tool said: {}", response["response"]) })];
    }
    if let Some(declaration) = body["tools"].get(0).and_then(|t| t["functionDeclarations"].get(0)) {
        return vec![json!({ "functionCall": { "name": declaration["name"], "args": sample(&declaration["parameters"]) } })];
    }
    if body["generationConfig"]["responseMimeType"] == "application/json" {
        return vec![json!({ "text": sample(&body["generationConfig"]["responseSchema"]).to_string() })];
    }
    let user = parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join(" ");
    vec![json!({ "text": echo(&user) })]
}
