//! Media folders: `/api/v1/workspaces/{workspaceId}/media-folders`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::media::Folder;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_folders, create_folder)).routes(routes!(delete_folder))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaFolder {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

impl From<Folder> for MediaFolder {
    fn from(f: Folder) -> Self {
        Self { id: f.id.to_string(), name: f.name, created_at: f.created_at.to_string() }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FolderRequest {
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media-folders", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Vec<MediaFolder>), (status = 404, body = ErrorEnvelope)))]
async fn list_folders(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Vec<MediaFolder>>> {
    Ok(Json(state.services.list_media_folders(&ws.access).await?.into_iter().map(MediaFolder::from).collect()))
}

/// Create a folder (post:create); names are unique in a workspace.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/media-folders", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = FolderRequest,
    responses((status = 201, body = MediaFolder), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_folder(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<FolderRequest>) -> ApiResult<impl IntoResponse> {
    let folder = state.services.create_media_folder(&ws.access, &body.name, &meta).await?;
    Ok((StatusCode::CREATED, Json(MediaFolder::from(folder))))
}

/// Delete a folder (post:delete); its assets stay in the library, outside any folder.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/media-folders/{folderId}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("folderId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn delete_folder(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    let id = ids.1.parse().map_err(|_| ApiError::not_found())?;
    state.services.delete_media_folder(&ws.access, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
