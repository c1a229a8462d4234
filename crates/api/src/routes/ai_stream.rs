//! A rewrite streamed as Server-Sent Events: `event: delta` with `{"text": "…"}` for each piece
//! the provider writes, then one `event: done` with the whole result (the same object
//! `POST …/ai/rewrite` returns). When the local engine answers there are no deltas, only
//! `done`; a `done` carrying `fallback` replaces any text shown so far.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_ai::local::rewrite::Style;
use zenalto_services::ai::RewriteEvent;

use super::ai::RewriteBody;
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(rewrite_stream))
}

/// The rewrite as it is written (text/event-stream): `delta` events, then `done`. Errors
/// before the stream starts (permissions, input) use the JSON envelope. Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/rewrite/stream", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = RewriteBody,
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn rewrite_stream(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    ApiJson(body): ApiJson<RewriteBody>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let style: Style = serde_json::from_value(Value::String(body.style.clone())).map_err(|_| {
        ApiError::validation("style", "one of shorten, simplify, formal, casual, expand")
    })?;
    let events = state
        .services
        .ai_rewrite_stream(&ws.access, &body.text, style)
        .await?;
    let sse = events.map(|event| {
        Ok(match event {
            RewriteEvent::Delta(text) => Event::default()
                .event("delta")
                .data(json!({ "text": text }).to_string()),
            RewriteEvent::Done(result) => Event::default()
                .event("done")
                .data(serde_json::to_string(&result).unwrap_or_else(|_| "{}".into())),
        })
    });
    Ok(Sse::new(sse).keep_alive(KeepAlive::default()))
}
