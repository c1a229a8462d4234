//! `/api/v1/workspaces/{workspaceId}/members`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{Role, UserId};

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, PageQuery, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_members)).routes(routes!(update_member, remove_member))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub joined_at: String,
}

/// Members of the workspace.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/members", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), crate::extract::pagination::PageParams), responses((status = 200, body = List<Member>), (status = 404, body = ErrorEnvelope)))]
async fn list_members(State(state): State<AppState>, ws: WorkspaceAccess, PageQuery(cursor): PageQuery) -> ApiResult<Json<List<Member>>> {
    let page = state.services.list_members(&ws.access, &cursor).await?;
    Ok(Json(List::from_page(page, |m| Member {
        user_id: m.user_id.to_string(),
        email: m.email,
        name: m.name,
        role: m.role.to_string(),
        joined_at: m.joined_at.to_string(),
    })))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleRequest {
    /// owner, admin, manager, editor or viewer.
    #[schema(value_type = String)]
    pub role: Role,
}

pub(crate) fn member_id(raw: &str) -> Result<UserId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// Change a member's role (team:manage; never above your own role; one owner always remains).
#[utoipa::path(patch, path = "/api/v1/workspaces/{workspaceId}/members/{userId}", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("userId" = String, Path)), request_body = RoleRequest,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn update_member(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<RoleRequest>,
) -> ApiResult<StatusCode> {
    state.services.change_member_role(&ws.access, member_id(&ids.1)?, body.role, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a member (team:manage), or leave the workspace by naming yourself.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/members/{userId}", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("userId" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn remove_member(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    state.services.remove_member(&ws.access, member_id(&ids.1)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
