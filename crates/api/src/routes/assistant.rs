//! The assistant: `/api/v1/workspaces/{workspaceId}/assistant/…` — a person's conversations,
//! messages answered as Server-Sent Events (or one JSON answer), the tool set, and the
//! confirmation cards (confirm or cancel a proposed action).

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response, sse},
};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::assistant::{Event, TOOLS};

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_conversation, list_conversations))
        .routes(routes!(get_conversation, delete_conversation))
        .routes(routes!(send_message))
        .routes(routes!(get_action))
        .routes(routes!(confirm_action))
        .routes(routes!(cancel_action))
        .routes(routes!(list_tools))
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Json<Value>> {
    serde_json::to_value(value).map(Json).map_err(ApiError::internal)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewConversation {
    /// The IANA zone the person's dates and times are read in, e.g. Europe/Berlin.
    pub time_zone: String,
}

/// Start a conversation (any member; only its creator sees it).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/assistant/conversations", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = NewConversation,
    responses((status = 201, body = Object), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_conversation(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<NewConversation>) -> ApiResult<impl IntoResponse> {
    let conversation = state.services.assistant_create_conversation(&ws.access, &body.time_zone).await?;
    Ok((StatusCode::CREATED, to_json(conversation)?))
}

/// The caller's conversations, most recently active first.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/assistant/conversations", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn list_conversations(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Value>> {
    let items = state.services.assistant_conversations(&ws.access, 100).await?;
    Ok(Json(json!({ "items": serde_json::to_value(items).map_err(ApiError::internal)? })))
}

/// One of the caller's conversations with its history: messages, tool calls with their
/// results, and cards.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/assistant/conversations/{conversationId}", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("conversationId" = String, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn get_conversation(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Value>> {
    to_json(state.services.assistant_conversation(&ws.access, &ids.1).await?)
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/assistant/conversations/{conversationId}", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("conversationId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn delete_conversation(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    state.services.assistant_delete_conversation(&ws.access, &ids.1).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMessage {
    pub text: String,
}

/// Send a message. With `Accept: text/event-stream` the reply streams as Server-Sent Events
/// (`text`, `tool_call`, `tool_result`, `card`, then `done` or `error`; each data is the JSON
/// event); otherwise the whole reply comes back as one JSON object `{text, events, cards,
/// messageId, engine}`. Proposed actions (cards) run only when confirmed.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/assistant/conversations/{conversationId}/messages", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("conversationId" = String, Path)), request_body = NewMessage,
    responses((status = 200, body = Object, description = "JSON, or text/event-stream when asked"), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn send_message(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    headers: HeaderMap,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<NewMessage>,
) -> ApiResult<Response> {
    let turn = state.services.begin_turn(&ws.access, &ids.1, &body.text).await?;
    let (sink, mut events) = tokio::sync::mpsc::unbounded_channel();
    let services = state.services.clone();
    let access = ws.access.clone();
    // The reply runs on its own task: a client that disconnects does not cut it short (it is
    // stored and can be read back).
    tokio::spawn(async move { services.run_turn(&access, &meta, turn, &sink).await });
    let wants_stream = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/event-stream"));
    if wants_stream {
        let stream = futures::stream::poll_fn(move |cx| events.poll_recv(cx)).map(|event| {
            let name = event_name(&event);
            sse::Event::default().event(name).json_data(&event)
        });
        return Ok(sse::Sse::new(stream).keep_alive(sse::KeepAlive::default()).into_response());
    }
    let mut all = Vec::new();
    while let Some(event) = events.recv().await {
        all.push(event);
    }
    let text: String = all.iter().filter_map(|e| if let Event::Text { delta } = e { Some(delta.as_str()) } else { None }).collect();
    let cards: Vec<&Event> = all.iter().filter(|e| matches!(e, Event::Card { .. })).collect();
    let (message_id, engine) =
        all.iter().find_map(|e| if let Event::Done { message_id, engine } = e { Some((message_id.clone(), engine.clone())) } else { None }).unwrap_or_default();
    let cards: Vec<Value> = cards.iter().filter_map(|e| serde_json::to_value(e).ok()).map(|v| v["card"].clone()).collect();
    Ok(Json(json!({ "text": text, "events": all, "cards": cards, "messageId": message_id, "engine": engine })).into_response())
}

fn event_name(event: &Event) -> &'static str {
    match event {
        Event::Text { .. } => "text",
        Event::ToolCall { .. } => "tool_call",
        Event::ToolResult { .. } => "tool_result",
        Event::Card { .. } => "card",
        Event::Done { .. } => "done",
        Event::Error { .. } => "error",
    }
}

/// A proposed action (card) of the caller's.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/assistant/actions/{actionId}", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("actionId" = String, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn get_action(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Value>> {
    to_json(state.services.assistant_action(&ws.access, &ids.1).await?)
}

/// Run a proposed action: only its proposer, once, before it expires, with the tool's
/// permission (403 without it). 409 when it expired, was cancelled or already ran.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/assistant/actions/{actionId}/confirm", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("actionId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn confirm_action(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Value>> {
    to_json(state.services.assistant_confirm(&ws.access, &ids.1, &meta).await?)
}

/// Withdraw a proposed action; it never runs afterwards.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/assistant/actions/{actionId}/cancel", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("actionId" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn cancel_action(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Value>> {
    to_json(state.services.assistant_cancel(&ws.access, &ids.1).await?)
}

/// The assistant's tools: name, description, JSON Schema of the arguments, the permission each
/// needs, and when it waits for confirmation (the same set MCP clients get).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/assistant/tools", tag = "assistant", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn list_tools(ws: WorkspaceAccess) -> ApiResult<Json<Value>> {
    let tools: Vec<Value> = TOOLS
        .iter()
        .map(|t| json!({ "name": t.name, "description": t.description, "permission": t.permission.as_str(), "confirmation": t.confirmation(), "allowed": ws.access.can(t.permission), "inputSchema": (t.schema)() }))
        .collect();
    Ok(Json(json!({ "items": tools })))
}
