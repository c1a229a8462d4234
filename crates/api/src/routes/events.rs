//! Live post events over a WebSocket: `GET /api/v1/workspaces/{workspaceId}/events`.
//!
//! Browsers cannot set an Authorization header on a WebSocket, so they first get a one-minute
//! ticket (`POST …/events/ticket`) and connect with `?ticket=`; other clients may send
//! `Authorization: Bearer` on the upgrade request instead. Each message is one JSON post event
//! of this workspace; `{"kind":"lagged"}` means events were dropped and the client should re-read.

use axum::{
    Json,
    extract::{
        Path, Query, State,
        ws::{Message, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, header},
    response::Response,
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{Permission, WorkspaceId};
use zenalto_services::Access;

use crate::{
    error::{ApiError, ApiResult, ErrorCode, ErrorEnvelope},
    extract::WorkspaceAccess,
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ticket)).routes(routes!(stream))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// Pass as `?ticket=` when opening the WebSocket, within a minute.
    pub ticket: String,
    /// The path to open, ticket included.
    pub path: String,
}

/// A one-minute ticket for opening the live event WebSocket from a browser (people only).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/events/ticket", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Ticket), (status = 403, body = ErrorEnvelope)))]
async fn ticket(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Ticket>> {
    ws.access.require(Permission::PostRead)?;
    let ticket = state.services.event_ticket(&ws.principal, ws.access.workspace_id)?;
    let path = format!("/api/v1/workspaces/{}/events?ticket={ticket}", ws.access.workspace_id);
    Ok(Json(Ticket { ticket, path }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamQuery {
    /// From `POST …/events/ticket`; or send `Authorization: Bearer` instead.
    ticket: Option<String>,
}

/// Live post events of this workspace over a WebSocket (upgrade request). Each text message is a
/// JSON event: `kind` (post.created, post.updated, post.scheduled, post.deleted, target.publishing,
/// target.published, target.retrying, target.failed, post.status, or `lagged`), `postId`,
/// `targetId`, `status`, `detail`, `at`.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/events", tag = "publishing",
    params(("workspaceId" = String, Path), StreamQuery),
    responses((status = 101, description = "Switching Protocols: the event stream"), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn stream(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    Query(query): Query<StreamQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let workspace: WorkspaceId = workspace.parse().map_err(|_| ApiError::not_found())?;
    let access = match query.ticket {
        Some(ticket) => state.services.access_from_event_ticket(&ticket, workspace).await?,
        None => {
            let bearer = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "connect with ?ticket= or Authorization: Bearer"))?;
            let principal = state.services.authenticate(bearer.trim()).await?;
            state.services.access(&principal, workspace).await?
        }
    };
    access.require(Permission::PostRead)?;
    Ok(upgrade.on_upgrade(move |socket| forward(socket, state, access)))
}

/// Forwards this workspace's events until the client goes away.
async fn forward(mut socket: WebSocket, state: AppState, access: Access) {
    let mut events = state.services.subscribe();
    loop {
        tokio::select! {
            event = events.recv() => {
                let text = match event {
                    Ok(event) if event.workspace_id == access.workspace_id => serde_json::to_string(&event).unwrap_or_default(),
                    Ok(_) => continue,
                    Err(RecvError::Lagged(missed)) => format!("{{\"kind\":\"lagged\",\"missed\":{missed}}}"),
                    Err(RecvError::Closed) => return,
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
