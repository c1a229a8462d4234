//! Version history of a post: list, read, compare, restore.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::publishing::versions::{FieldChange, Version as VersionRow};

use super::posts::{Post, post_id};
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_versions)).routes(routes!(get_version)).routes(routes!(diff_versions)).routes(routes!(restore_version))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub version: i64,
    /// The editable fields at that version (content, targets, campaign, tags, notes).
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    pub author_id: Option<String>,
    pub created_at: String,
}

impl From<VersionRow> for Version {
    fn from(v: VersionRow) -> Self {
        Self { version: v.version, snapshot: serde_json::to_value(&v.snapshot).unwrap_or_default(), author_id: v.author_id, created_at: v.created_at.to_string() }
    }
}

fn number(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// Every version, newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/versions", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = Vec<Version>), (status = 404, body = ErrorEnvelope)))]
async fn list_versions(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Vec<Version>>> {
    Ok(Json(state.services.list_versions(&ws.access, post_id(&ids.1)?).await?.into_iter().map(Version::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/versions/{version}", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path), ("version" = i64, Path)), responses((status = 200, body = Version), (status = 404, body = ErrorEnvelope)))]
async fn get_version(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String, String)>) -> ApiResult<Json<Version>> {
    Ok(Json(state.services.get_version(&ws.access, post_id(&ids.1)?, number(&ids.2)?).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    pub from: i64,
    pub to: i64,
}

/// What changed between two versions, field by field (text fields as a line diff).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/diff", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path), DiffQuery), responses((status = 200, body = Vec<Object>), (status = 404, body = ErrorEnvelope)))]
async fn diff_versions(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, query: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>) -> ApiResult<Json<Vec<FieldChange>>> {
    let Query(q) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    Ok(Json(state.services.diff_versions(&ws.access, post_id(&ids.1)?, q.from, q.to).await?))
}

/// Make an old version current again (as a new version; nothing is lost).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/versions/{version}/restore", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path), ("version" = i64, Path)),
    responses((status = 200, body = Post), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn restore_version(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String, String)>) -> ApiResult<Json<Post>> {
    Ok(Json(state.services.restore_version(&ws.access, post_id(&ids.1)?, number(&ids.2)?, &meta).await?.into()))
}
