//! Connecting real network accounts: `/api/v1/workspaces/{workspaceId}/connections`.
//!
//! OAuth goes start → the network → the web app's `/connect/callback` page, which posts the
//! code and state back here in the person's own session: the state is bound to that session and
//! workspace, so a link started elsewhere cannot complete here.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::Secret;
use zenalto_services::connections::{Candidate, ConnectOutcome};

use super::accounts::Account;
use crate::{
    error::{ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_networks))
        .routes(routes!(start_connect))
        .routes(routes!(complete_connect))
        .routes(routes!(get_pending, select_pending))
        .routes(routes!(connect_with_app_password))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NetworkOption {
    pub network: String,
    pub label: String,
    /// `oauth`, `oauth_per_instance` (give `instanceUrl`), `app_password` or `none` (sandbox).
    pub connect_flow: String,
    /// Whether the server has the app credentials this network needs.
    pub configured: bool,
}

/// The networks this server can connect, and how.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/networks", tag = "connections", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Vec<NetworkOption>)))]
async fn list_networks(State(state): State<AppState>, _ws: WorkspaceAccess) -> Json<Vec<NetworkOption>> {
    Json(
        state
            .services
            .connectable_networks()
            .into_iter()
            .map(|n| NetworkOption { network: n.network.to_string(), label: n.network.label().to_owned(), connect_flow: n.connect_flow.to_owned(), configured: n.configured })
            .collect(),
    )
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartRequest {
    pub network: String,
    /// For networks with many servers (Mastodon): the server's address.
    pub instance_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartResponse {
    /// Send the person here; they come back to `/connect/callback` with `code` and `state`.
    pub authorization_url: String,
    pub expires_at: String,
}

/// Start connecting an account through OAuth 2.0 with PKCE (settings:update, people only).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/connections", tag = "connections", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = StartRequest,
    responses((status = 200, body = StartResponse), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
async fn start_connect(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<StartRequest>) -> ApiResult<Json<StartResponse>> {
    let start = state.services.start_connect(&ws.access, &body.network, body.instance_url.as_deref()).await?;
    Ok(Json(StartResponse { authorization_url: start.authorization_url, expires_at: start.expires_at.to_string() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompleteRequest {
    pub state: String,
    pub code: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    pub platform_account_id: String,
    pub handle: String,
    pub display_name: String,
    /// `profile`, `page`, `business`, `organization`, `channel`.
    pub kind: String,
}

impl From<Candidate> for CandidateView {
    fn from(c: Candidate) -> Self {
        Self { platform_account_id: c.platform_account_id, handle: c.handle, display_name: c.display_name, kind: c.kind }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingView {
    pub id: String,
    pub network: String,
    pub candidates: Vec<CandidateView>,
    pub expires_at: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompleteResponse {
    /// The accounts connected (or reconnected), when the grant named one.
    pub accounts: Vec<Account>,
    /// When the grant gives access to several accounts: pick with `POST …/connections/pending/{id}`.
    pub pending: Option<PendingView>,
}

/// Complete a connect with the `code` and `state` the network sent back (settings:update).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/connections/complete", tag = "connections", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = CompleteRequest,
    responses((status = 200, body = CompleteResponse), (status = 422, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
async fn complete_connect(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<CompleteRequest>) -> ApiResult<Json<CompleteResponse>> {
    let outcome = state.services.complete_connect(&ws.access, &body.state, &body.code, &meta).await?;
    Ok(Json(match outcome {
        ConnectOutcome::Connected(accounts) => CompleteResponse { accounts: accounts.into_iter().map(Account::from).collect(), pending: None },
        ConnectOutcome::Choose { pending_id, network, candidates, expires_at } => CompleteResponse {
            accounts: Vec::new(),
            pending: Some(PendingView { id: pending_id, network: network.to_string(), candidates: candidates.into_iter().map(CandidateView::from).collect(), expires_at: expires_at.to_string() }),
        },
    }))
}

/// The accounts a grant offers, waiting for a pick.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/connections/pending/{pendingId}", tag = "connections", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("pendingId" = String, Path)), responses((status = 200, body = PendingView), (status = 404, body = ErrorEnvelope)))]
async fn get_pending(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<PendingView>> {
    let (network, candidates, expires_at) = state.services.pending_connection(&ws.access, &ids.1).await?;
    Ok(Json(PendingView { id: ids.1, network: network.to_string(), candidates: candidates.into_iter().map(CandidateView::from).collect(), expires_at: expires_at.to_string() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelectRequest {
    pub platform_account_ids: Vec<String>,
}

/// Connect the picked accounts of a grant (used once).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/connections/pending/{pendingId}", tag = "connections", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("pendingId" = String, Path)), request_body = SelectRequest,
    responses((status = 200, body = Vec<Account>), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn select_pending(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, ApiJson(body): ApiJson<SelectRequest>) -> ApiResult<Json<Vec<Account>>> {
    let accounts = state.services.select_connections(&ws.access, &ids.1, &body.platform_account_ids, &meta).await?;
    Ok(Json(accounts.into_iter().map(Account::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppPasswordRequest {
    pub network: String,
    /// The handle or e-mail of the account.
    pub identifier: String,
    /// An app password made in the network's settings (never the account's main password).
    #[schema(value_type = String)]
    pub app_password: Secret<String>,
    /// The account's server (Bluesky PDS); the network's main service when absent.
    pub instance_url: Option<String>,
}

/// Connect an account with an app password (Bluesky) (settings:update).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/connections/app-password", tag = "connections", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = AppPasswordRequest,
    responses((status = 201, body = Account), (status = 422, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
async fn connect_with_app_password(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<AppPasswordRequest>) -> ApiResult<impl IntoResponse> {
    let account = state.services.connect_with_app_password(&ws.access, &body.network, body.instance_url.as_deref(), &body.identifier, &body.app_password, &meta).await?;
    Ok((StatusCode::CREATED, Json(Account::from(account))))
}
