//! Connected social accounts: `/api/v1/workspaces/{workspaceId}/accounts`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{AccountId, publishing::Network, schedule::WeeklySlots};
use zenalto_services::publishing::accounts::Account as AccountRow;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_accounts, connect_account)).routes(routes!(get_account, disconnect_account)).routes(routes!(set_slots))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    /// `sandbox` for the built-in sandbox network (posts stay in Zenalto), else a real network.
    pub network: String,
    pub network_label: String,
    pub sandbox: bool,
    pub handle: String,
    pub display_name: String,
    #[schema(value_type = Option<Object>)]
    pub posting_slots: Option<serde_json::Value>,
    pub throttled_until: Option<String>,
    pub created_at: String,
    /// The account's id at the network (absent for the sandbox).
    pub platform_account_id: Option<String>,
    /// The server of networks with many (Mastodon instance, Bluesky PDS).
    pub instance_url: Option<String>,
    /// When the network's access token runs out (refreshed ahead of it where the network allows).
    pub token_expires_at: Option<String>,
    pub scopes: Vec<String>,
    /// `active`, `expiring`, `expired`, `revoked` or `error`; anything but active needs attention.
    pub health: String,
    /// What the network last said when something failed.
    pub last_error: Option<String>,
}

impl From<AccountRow> for Account {
    fn from(a: AccountRow) -> Self {
        Self {
            id: a.id.to_string(),
            network: a.network.to_string(),
            network_label: a.network.label().to_owned(),
            sandbox: a.network == Network::Sandbox,
            handle: a.handle,
            display_name: a.display_name,
            posting_slots: a.posting_slots,
            throttled_until: a.throttled_until.map(|t| t.to_string()),
            created_at: a.created_at.to_string(),
            platform_account_id: a.platform_account_id,
            instance_url: a.instance_url,
            token_expires_at: a.token_expires_at.map(|t| t.to_string()),
            scopes: a.scopes,
            health: a.health,
            last_error: a.last_error,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectRequest {
    /// Only `sandbox` connects here; real networks connect through OAuth.
    pub network: String,
    pub handle: String,
    pub display_name: Option<String>,
}

pub(crate) fn account_id(raw: &str) -> Result<AccountId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// Connect an account (settings:update). Today: the sandbox network.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/accounts", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = ConnectRequest,
    responses((status = 201, body = Account), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn connect_account(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<ConnectRequest>) -> ApiResult<impl IntoResponse> {
    let network: Network = body.network.parse().map_err(|_| ApiError::validation("network", format!("unknown network {}", body.network)))?;
    if network != Network::Sandbox {
        return Err(ApiError::validation("network", format!("{} connects through POST /api/v1/workspaces/{{workspaceId}}/connections (OAuth) or /connections/app-password", network.label())));
    }
    let account = state.services.connect_sandbox_account(&ws.access, &body.handle, body.display_name.as_deref(), &meta).await?;
    Ok((StatusCode::CREATED, Json(Account::from(account))))
}

/// Connected accounts.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/accounts", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Vec<Account>)))]
async fn list_accounts(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Vec<Account>>> {
    Ok(Json(state.services.list_accounts(&ws.access).await?.into_iter().map(Account::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)), responses((status = 200, body = Account), (status = 404, body = ErrorEnvelope)))]
async fn get_account(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Account>> {
    Ok(Json(state.services.get_account(&ws.access, account_id(&ids.1)?).await?.into()))
}

/// Disconnect an account (settings:update): its tokens are forgotten, and the grant is revoked
/// at the network where its API allows (`zenalto-revoked-at-network: true` when it confirmed).
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn disconnect_account(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<impl IntoResponse> {
    let revoked = state.services.disconnect_account(&ws.access, account_id(&ids.1)?, &meta).await?;
    Ok((StatusCode::NO_CONTENT, [("zenalto-revoked-at-network", if revoked { "true" } else { "false" })]))
}

/// Set (or with `null` clear) the weekly posting slots "add to queue" fills:
/// `{"zone": "Europe/Berlin", "slots": [{"day": "monday", "time": "09:30"}]}`.
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/posting-slots", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)), request_body = Object,
    responses((status = 200, body = Account), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn set_slots(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, ApiJson(body): ApiJson<Option<WeeklySlots>>) -> ApiResult<Json<Account>> {
    Ok(Json(state.services.set_posting_slots(&ws.access, account_id(&ids.1)?, body, &meta).await?.into()))
}
