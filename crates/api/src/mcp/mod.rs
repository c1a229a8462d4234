//! The Model Context Protocol server at `/mcp`: the assistant's tools for external assistants,
//! over the streamable HTTP transport of the official Rust SDK (`rmcp`), authenticated by a
//! workspace API key and limited by its permissions.
//!
//! Served statelessly (no `Mcp-Session-Id`, plain JSON answers): every request carries its key,
//! so any process can answer any request and nothing is held in memory between them. The Host
//! allow-list of the SDK (a DNS-rebinding guard for servers on loopback without credentials) is
//! off: a rebinding page cannot read the bearer key, and the public host comes from deployment.

mod handler;

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::{Next, from_fn_with_state},
    response::{IntoResponse, Response},
};
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager};
use zenalto_services::Principal;

use crate::{
    error::{ApiError, ErrorCode},
    extract::{Caller, Meta},
    state::AppState,
};

pub use handler::{Handler, McpCaller};

/// `/mcp`, with the API-key check in front.
pub fn router(state: &AppState) -> Router<AppState> {
    let services = state.services.clone();
    let config = StreamableHttpServerConfig::default().with_legacy_session_mode(false).with_json_response(true).disable_allowed_hosts();
    let service = StreamableHttpService::new(move || Ok(Handler::new(services.clone())), LocalSessionManager::default().into(), config);
    Router::new().nest_service("/mcp", service).layer(from_fn_with_state(state.clone(), authenticate))
}

/// Only a workspace API key opens `/mcp`; its workspace and permissions travel with the request.
async fn authenticate(State(state): State<AppState>, caller: Result<Caller, ApiError>, Meta(meta): Meta, mut request: Request, next: Next) -> Response {
    let principal = match caller {
        Ok(Caller(principal)) => principal,
        Err(error) => return challenge(error),
    };
    let Principal::ApiKey { workspace_id, .. } = &principal else {
        return challenge(ApiError::new(ErrorCode::Unauthorized, "the MCP endpoint takes a workspace API key (zk_…), created in the workspace's settings"));
    };
    let access = match state.services.access(&principal, *workspace_id).await {
        Ok(access) => access,
        Err(error) => return challenge(ApiError::from(error)),
    };
    request.extensions_mut().insert(McpCaller { access, meta });
    next.run(request).await
}

/// A 401 with the `WWW-Authenticate` challenge MCP clients look for.
fn challenge(error: ApiError) -> Response {
    let mut response = error.into_response();
    if response.status() == axum::http::StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}
