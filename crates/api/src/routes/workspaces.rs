//! `/api/v1/workspaces`: the caller's workspaces, creating and renaming them, and the caller's
//! own rights in one.

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    dto::Workspace,
    error::{ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, SignedInUser, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workspaces, create_workspace))
        .routes(routes!(get_workspace, update_workspace))
        .routes(routes!(my_rights))
}

/// Workspaces the signed-in user belongs to.
#[utoipa::path(get, path = "/api/v1/workspaces", tag = "workspaces", security(("bearer" = [])), responses((status = 200, body = List<Workspace>)))]
async fn list_workspaces(State(state): State<AppState>, user: SignedInUser) -> ApiResult<Json<List<Workspace>>> {
    let (_, spaces) = state.services.me(user.user_id).await?;
    Ok(Json(List { items: spaces.into_iter().map(Into::into).collect(), next_cursor: None }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceRequest {
    pub name: String,
}

/// Create a workspace; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/workspaces", tag = "workspaces", security(("bearer" = [])), request_body = WorkspaceRequest,
    responses((status = 201, body = Workspace), (status = 422, body = ErrorEnvelope)))]
async fn create_workspace(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<WorkspaceRequest>) -> ApiResult<impl IntoResponse> {
    let created = state.services.create_workspace(&user.principal, &body.name, &meta).await?;
    Ok((StatusCode::CREATED, Json(Workspace::from(created))))
}

/// One workspace (404 unless you are a member).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Workspace), (status = 404, body = ErrorEnvelope)))]
async fn get_workspace(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Workspace>> {
    let row = state.services.workspace(&ws.access).await?;
    Ok(Json(Workspace::new(row, ws.access.role)))
}

/// Rename a workspace (settings:update).
#[utoipa::path(patch, path = "/api/v1/workspaces/{workspaceId}", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = WorkspaceRequest,
    responses((status = 200, body = Workspace), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn update_workspace(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<WorkspaceRequest>) -> ApiResult<Json<Workspace>> {
    let row = state.services.rename_workspace(&ws.access, &body.name, &meta).await?;
    Ok(Json(Workspace::new(row, ws.access.role)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rights {
    pub role: String,
    /// Permission names such as "post:create"; for API keys, limited by the key's scopes.
    pub permissions: Vec<String>,
}

/// Your role and permissions in this workspace.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/me", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Rights), (status = 404, body = ErrorEnvelope)))]
async fn my_rights(ws: WorkspaceAccess) -> Json<Rights> {
    Json(Rights { role: ws.access.role.to_string(), permissions: ws.access.permissions().iter().map(|p| p.to_string()).collect() })
}
