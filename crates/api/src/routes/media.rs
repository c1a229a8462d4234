//! The media library: `/api/v1/workspaces/{workspaceId}/media` — upload (multipart), search,
//! read, edit (name, alt text, tags, folder), usage, delete and bulk operations. Resumable
//! uploads are in `media_uploads.rs`, files and derivatives in `media_content.rs`.

use axum::{
    Json,
    extract::{Multipart, Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
};
use bytes::BytesMut;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{MediaId, Timestamp};
use zenalto_services::media::{AssetFilter, AssetUpdate, AssetView, BulkAction, Ingested, Usage};

use crate::{
    error::{ApiError, ApiResult, ErrorCode, ErrorEnvelope, ItemError},
    extract::{ApiJson, Meta, PageQuery, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // Uploads enforce the media limits themselves, while reading the body.
        .routes(routes!(list_media, upload_media))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .routes(routes!(get_media, update_media, delete_media))
        .routes(routes!(media_usage))
        .routes(routes!(bulk_media))
}

/// One file of the library.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaAsset {
    pub id: String,
    pub name: String,
    /// image, gif or video
    #[serde(rename = "type")]
    pub kind: String,
    /// Sniffed from the bytes, not taken from the file name.
    pub mime: String,
    pub bytes: u64,
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    pub codec: Option<String>,
    /// Dominant colours, most frequent first (`#rrggbb`).
    pub colors: Vec<String>,
    /// What probing did (`orientationApplied`, `locationRemoved`, `metadataRemoved`) or could
    /// not do (`capability`: e.g. ffprobe missing).
    #[schema(value_type = Object)]
    pub probe: serde_json::Value,
    pub alt_text: Option<String>,
    pub tags: Vec<String>,
    pub folder_id: Option<String>,
    pub has_thumbnail: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<AssetView> for MediaAsset {
    fn from(a: AssetView) -> Self {
        Self {
            id: a.id.to_string(),
            name: a.name,
            kind: zenalto_services::media::kind_name(a.kind).to_owned(),
            mime: a.mime,
            bytes: a.bytes,
            sha256: a.sha256,
            width: a.width,
            height: a.height,
            duration_ms: a.duration_ms,
            codec: a.codec,
            colors: a.colors,
            probe: serde_json::to_value(a.probe).unwrap_or_default(),
            alt_text: a.alt_text,
            tags: a.tags,
            folder_id: a.folder_id,
            has_thumbnail: a.has_thumbnail,
            created_at: a.created_at.to_string(),
            updated_at: a.updated_at.to_string(),
        }
    }
}

/// An upload's result: the asset, and whether the same file was in the library already (then
/// nothing new was stored and the status is 200 instead of 201).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    pub asset: MediaAsset,
    pub duplicate: bool,
}

pub(crate) fn uploaded(ingested: Ingested) -> (StatusCode, Json<Uploaded>) {
    let status = if ingested.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    (status, Json(Uploaded { asset: ingested.asset.into(), duplicate: ingested.duplicate }))
}

pub(crate) fn media_id(raw: &str) -> Result<MediaId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// Upload a file in one request (post:create): `multipart/form-data` with a `file` part and an
/// optional `folderId` part. Up to `media.simple_upload_max_bytes`; larger files use
/// `/media-uploads`. The type is sniffed from the bytes; the same file twice is one asset.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/media", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body(content_type = "multipart/form-data", content = String, description = "file (the file), folderId (optional)"),
    responses((status = 201, body = Uploaded), (status = 200, body = Uploaded, description = "already in the library"),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn upload_media(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, mut multipart: Multipart) -> ApiResult<impl IntoResponse> {
    let limit = state.services.settings.media.simple_upload_max_bytes;
    let mut file: Option<(String, BytesMut)> = None;
    let mut folder_id: Option<String> = None;
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::validation("file", format!("the multipart body is malformed: {}", e.body_text()));
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("untitled").to_owned();
                let mut buf = BytesMut::new();
                while let Some(piece) = field.chunk().await.map_err(bad)? {
                    if buf.len() + piece.len() > limit {
                        return Err(ApiError::new(
                            ErrorCode::PayloadTooLarge,
                            format!("files over {limit} bytes go through a resumable upload (POST …/media-uploads)"),
                        ));
                    }
                    buf.extend_from_slice(&piece);
                }
                file = Some((name, buf));
            }
            "folderId" => folder_id = Some(field.text().await.map_err(bad)?),
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| ApiError::validation("file", "send the file in a part named file"))?;
    let ingested = state.services.upload_media(&ws.access, &name, folder_id.as_deref(), bytes.freeze(), &meta).await?;
    Ok(uploaded(ingested))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MediaQuery {
    /// Part of the name (case-insensitive).
    pub name: Option<String>,
    pub tag: Option<String>,
    /// image, gif or video
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    pub folder_id: Option<String>,
    /// Uploaded at or after (RFC 3339).
    pub from: Option<String>,
    /// Uploaded before (RFC 3339).
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Search the library, newest first (post:read).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), MediaQuery), responses((status = 200, body = List<MediaAsset>), (status = 422, body = ErrorEnvelope)))]
async fn list_media(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    PageQuery(cursor): PageQuery,
    query: Result<Query<MediaQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<List<MediaAsset>>> {
    let Query(q) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let time = |field: &str, raw: &Option<String>| -> Result<Option<Timestamp>, ApiError> {
        raw.as_deref().map(|r| Timestamp::parse_rfc3339(r).ok_or_else(|| ApiError::validation(field, "must be an RFC 3339 timestamp"))).transpose()
    };
    let filter = AssetFilter { from: time("from", &q.from)?, to: time("to", &q.to)?, name: q.name, tag: q.tag, kind: q.kind, folder_id: q.folder_id };
    let page = state.services.list_media(&ws.access, filter, &cursor).await?;
    Ok(Json(List::from_page(page, MediaAsset::from)))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path)), responses((status = 200, body = MediaAsset), (status = 404, body = ErrorEnvelope)))]
async fn get_media(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<MediaAsset>> {
    Ok(Json(state.services.get_media(&ws.access, media_id(&ids.1)?).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaPatch {
    pub name: Option<String>,
    /// Alternative text for screen readers; "" clears it.
    pub alt_text: Option<String>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    /// Moves the asset; "" takes it out of its folder.
    pub folder_id: Option<String>,
}

/// Edit name, alt text, tags or folder (post:update).
#[utoipa::path(patch, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path)), request_body = MediaPatch,
    responses((status = 200, body = MediaAsset), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn update_media(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, ApiJson(body): ApiJson<MediaPatch>) -> ApiResult<Json<MediaAsset>> {
    let update = AssetUpdate { name: body.name, alt_text: body.alt_text, tags: body.tags, folder_id: body.folder_id };
    Ok(Json(state.services.update_media(&ws.access, media_id(&ids.1)?, update, &meta).await?.into()))
}

/// Delete an asset and its files (post:delete); refused (409) while a post that has not gone
/// out yet (scheduled, publishing, awaiting approval) uses it.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn delete_media(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    state.services.delete_media(&ws.access, media_id(&ids.1)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaUsage {
    pub post_id: String,
    pub status: String,
    pub scheduled_at: Option<String>,
    /// The post's figures summed over its published targets (impressions, likes, comments,
    /// shares, saves, clicks, targetsMeasured); null until a network reported any.
    #[schema(value_type = Option<Object>)]
    pub performance: Option<zenalto_services::media::Performance>,
}

impl From<Usage> for MediaUsage {
    fn from(u: Usage) -> Self {
        Self { post_id: u.post_id.to_string(), status: u.status, scheduled_at: u.scheduled_at.map(|t| t.to_string()), performance: u.performance }
    }
}

/// The posts that use an asset (post:read).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}/usage", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path)), responses((status = 200, body = Vec<MediaUsage>), (status = 404, body = ErrorEnvelope)))]
async fn media_usage(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Vec<MediaUsage>>> {
    Ok(Json(state.services.media_usage(&ws.access, media_id(&ids.1)?).await?.into_iter().map(MediaUsage::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaBulkRequest {
    pub ids: Vec<String>,
    /// addTags, removeTags, move or delete
    pub action: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// For move: the folder, or null/"" for none.
    pub folder_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaBulkItem {
    pub id: String,
    pub ok: bool,
    pub error: Option<ItemError>,
}

/// One action on many assets; each succeeds or fails on its own, as the single request would.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/media/bulk", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = MediaBulkRequest,
    responses((status = 200, body = Vec<MediaBulkItem>), (status = 422, body = ErrorEnvelope)))]
async fn bulk_media(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<MediaBulkRequest>) -> ApiResult<Json<Vec<MediaBulkItem>>> {
    let action = match body.action.as_str() {
        "addTags" => BulkAction::AddTags(body.tags),
        "removeTags" => BulkAction::RemoveTags(body.tags),
        "move" => BulkAction::Move(body.folder_id.filter(|f| !f.is_empty())),
        "delete" => BulkAction::Delete,
        _ => return Err(ApiError::validation("action", "one of addTags, removeTags, move, delete")),
    };
    let outcomes = state.services.bulk_media(&ws.access, &body.ids, action, &meta).await?;
    Ok(Json(
        outcomes
            .into_iter()
            .map(|o| match o.result {
                Ok(()) => MediaBulkItem { id: o.id, ok: true, error: None },
                Err(e) => MediaBulkItem { id: o.id, ok: false, error: Some(e.into()) },
            })
            .collect(),
    ))
}
