//! Resumable uploads: `/api/v1/workspaces/{workspaceId}/media-uploads`. Create a session with
//! the file's total size, type and name; `PUT` chunks with their byte offset (`?offset=`);
//! after a dropped connection `GET` the session for the confirmed offset and resume from it;
//! then `POST …/complete`. `receivedBytes` / `totalBytes` is the progress to show.

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::UploadId;
use zenalto_services::media::{NewUpload, UploadStatus};

use super::media::{Uploaded, uploaded};
use crate::{
    error::{ApiError, ApiResult, ErrorCode, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_status, put_chunk))
        // Chunks are limited by `media.chunk_max_bytes`, checked while the body is read.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .routes(routes!(create_upload))
        .routes(routes!(complete_upload))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UploadRequest {
    pub name: String,
    /// The type the client believes the file has; the bytes decide in the end.
    pub mime_type: String,
    pub total_bytes: u64,
    pub folder_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadSession {
    pub id: String,
    pub name: String,
    pub mime_type: String,
    pub total_bytes: u64,
    /// The confirmed offset: send the next chunk from here.
    pub received_bytes: u64,
    pub expires_at: String,
}

impl From<UploadStatus> for UploadSession {
    fn from(s: UploadStatus) -> Self {
        Self { id: s.id.to_string(), name: s.name, mime_type: s.mime, total_bytes: s.total_bytes, received_bytes: s.received_bytes, expires_at: s.expires_at.to_string() }
    }
}

fn upload_id(raw: &str) -> Result<UploadId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// Open a resumable upload (post:create); the declared size is checked against the plan now.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/media-uploads", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = UploadRequest,
    responses((status = 201, body = UploadSession), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_upload(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<UploadRequest>) -> ApiResult<impl IntoResponse> {
    let new = NewUpload { name: body.name, mime: body.mime_type, total_bytes: body.total_bytes, folder_id: body.folder_id };
    let status = state.services.create_upload(&ws.access, new).await?;
    Ok((StatusCode::CREATED, Json(UploadSession::from(status))))
}

/// Where an upload stands: the offset to resume from.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media-uploads/{uploadId}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("uploadId" = String, Path)), responses((status = 200, body = UploadSession), (status = 404, body = ErrorEnvelope)))]
async fn upload_status(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<UploadSession>> {
    Ok(Json(state.services.upload_status(&ws.access, upload_id(&ids.1)?).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChunkQuery {
    /// The byte offset of this chunk in the file: the session's `receivedBytes`.
    pub offset: u64,
}

/// Send one chunk (`application/octet-stream`, up to `media.chunk_max_bytes`) starting at
/// `offset`. A chunk at another offset than the confirmed one is refused (409) and nothing is
/// stored; a chunk cut off mid-way is not stored either, so resuming is always safe.
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/media-uploads/{uploadId}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("uploadId" = String, Path), ChunkQuery), request_body(content_type = "application/octet-stream", content = Vec<u8>),
    responses((status = 200, body = UploadSession), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn put_chunk(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    query: Result<Query<ChunkQuery>, axum::extract::rejection::QueryRejection>,
    body: Body,
) -> ApiResult<Json<UploadSession>> {
    let Query(q) = query.map_err(|_| ApiError::validation("offset", "give the chunk's byte offset as ?offset="))?;
    let id = upload_id(&ids.1)?;
    let limit = state.services.settings.media.chunk_max_bytes;
    let mut stream = body.into_data_stream();
    let mut chunk = bytes::BytesMut::new();
    while let Some(piece) = stream.next().await {
        // The connection dropped mid-chunk: nothing is stored; resume from the confirmed offset.
        let piece = piece.map_err(|_| ApiError::validation("chunk", "the chunk did not arrive whole; ask for the upload's offset and resend from there"))?;
        if chunk.len() + piece.len() > limit {
            return Err(ApiError::new(ErrorCode::PayloadTooLarge, format!("chunks are at most {limit} bytes")));
        }
        chunk.extend_from_slice(&piece);
    }
    let chunk = chunk.freeze();
    Ok(Json(state.services.put_chunk(&ws.access, id, q.offset, chunk).await?.into()))
}

/// Finish: the chunks become one file, which is checked and added to the library like a
/// one-request upload (post:create).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/media-uploads/{uploadId}/complete", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("uploadId" = String, Path)),
    responses((status = 201, body = Uploaded), (status = 200, body = Uploaded, description = "already in the library"), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope)))]
async fn complete_upload(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<impl IntoResponse> {
    let ingested = state.services.complete_upload(&ws.access, upload_id(&ids.1)?, &meta).await?;
    Ok(uploaded(ingested))
}
