//! Media files: the bytes of an asset, its thumbnail or a per-network derivative, for members
//! (`…/media/{mediaId}/content`) and through signed, expiring URLs (`/api/v1/media/{mediaId}/signed`,
//! no token: for `<img>` tags and for networks that fetch media themselves). Strong ETags from
//! the content hash (`If-None-Match` → 304) and single byte ranges (`Range` → 206).

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::publishing::Network;
use zenalto_services::{
    Services,
    media::{Content, Derivative},
};

use super::media::media_id;
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(media_content))
        .routes(routes!(signed_url))
        .routes(routes!(signed_content))
        .routes(routes!(derivative))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VariantQuery {
    /// original (default), thumbnail, or network:<network> (e.g. network:instagram) for the
    /// derivative that meets that network's limits, made on first request.
    pub variant: Option<String>,
}

/// A single `bytes=` range: `a-b`, `a-` or `-n` (the last n bytes). Anything else (several
/// ranges, other units) is ignored and the whole file is sent, as HTTP allows.
fn parse_range(headers: &HeaderMap, size: u64) -> Option<Result<std::ops::Range<u64>, ()>> {
    let raw = headers.get(header::RANGE)?.to_str().ok()?.trim();
    let spec = raw.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = (start.trim(), end.trim());
    let range = match (start.parse::<u64>().ok(), end.parse::<u64>().ok()) {
        (Some(s), Some(e)) if s <= e => s..(e + 1).min(size),
        (Some(s), None) if end.is_empty() => s..size,
        (None, Some(n)) if start.is_empty() && n > 0 => size.saturating_sub(n)..size,
        _ => return Some(Err(())),
    };
    Some(if range.start < range.end { Ok(range) } else { Err(()) })
}

async fn respond(services: &Services, content: Content, headers: &HeaderMap, cache: &'static str) -> ApiResult<Response> {
    let etag = HeaderValue::from_str(&content.etag).map_err(ApiError::internal)?;
    let mime = HeaderValue::from_str(&content.mime).map_err(ApiError::internal)?;
    let mut base = HeaderMap::new();
    base.insert(header::ETAG, etag);
    base.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    base.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == content.etag || t.trim() == "*")) {
        return Ok((StatusCode::NOT_MODIFIED, base).into_response());
    }
    base.insert(header::CONTENT_TYPE, mime);
    match parse_range(headers, content.bytes) {
        Some(Ok(range)) => {
            let bytes = services.read_content_range(&content, range.clone()).await?;
            let value = format!("bytes {}-{}/{}", range.start, range.end - 1, content.bytes);
            base.insert(header::CONTENT_RANGE, HeaderValue::from_str(&value).map_err(ApiError::internal)?);
            Ok((StatusCode::PARTIAL_CONTENT, base, bytes).into_response())
        }
        Some(Err(())) => {
            let mut response = ApiError::from(zenalto_services::ServiceError::RangeNotSatisfiable(format!("the file has {} bytes", content.bytes))).into_response();
            let value = HeaderValue::from_str(&format!("bytes */{}", content.bytes)).map_err(ApiError::internal)?;
            response.headers_mut().insert(header::CONTENT_RANGE, value);
            Ok(response)
        }
        None => {
            let stream = services.read_content(&content).await?;
            base.insert(header::CONTENT_LENGTH, HeaderValue::from(content.bytes));
            let body = Body::from_stream(stream.map(|piece| piece.map_err(std::io::Error::other)));
            Ok((StatusCode::OK, base, body).into_response())
        }
    }
}

/// The bytes of an asset (post:read), with ETag and range support.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}/content", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path), VariantQuery),
    responses((status = 200, description = "the file"), (status = 206, description = "the requested range"), (status = 304, description = "unchanged (If-None-Match)"),
        (status = 404, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 416, body = ErrorEnvelope)))]
async fn media_content(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, Query(q): Query<VariantQuery>, headers: HeaderMap) -> ApiResult<Response> {
    let variant = q.variant.unwrap_or_else(|| "original".into());
    let content = state.services.media_content(&ws.access, media_id(&ids.1)?, &variant).await?;
    respond(&state.services, content, &headers, "private, max-age=300").await
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignedUrlRequest {
    /// original (default), thumbnail or network:<network>
    pub variant: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedUrl {
    pub url: String,
    pub expires_at: String,
}

/// A signed URL for a file, valid for `media.signed_url_ttl_secs` without a token (post:read).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}/signed-url", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path)), request_body = SignedUrlRequest,
    responses((status = 200, body = SignedUrl), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn signed_url(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, ApiJson(body): ApiJson<SignedUrlRequest>) -> ApiResult<Json<SignedUrl>> {
    let variant = body.variant.unwrap_or_else(|| "original".into());
    let signed = state.services.sign_media_url(&ws.access, media_id(&ids.1)?, &variant).await?;
    Ok(Json(SignedUrl { url: signed.url, expires_at: signed.expires_at.to_string() }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignedQuery {
    pub workspace: String,
    pub variant: String,
    /// Unix seconds.
    pub expires: i64,
    pub signature: String,
}

/// A file through a signed URL (no token). A wrong, altered or expired signature answers 404.
#[utoipa::path(get, path = "/api/v1/media/{mediaId}/signed", tag = "media",
    params(("mediaId" = String, Path), SignedQuery),
    responses((status = 200, description = "the file"), (status = 206, description = "the requested range"), (status = 304, description = "unchanged"),
        (status = 404, body = ErrorEnvelope), (status = 416, body = ErrorEnvelope)))]
async fn signed_content(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<SignedQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Query(q) = query.map_err(|_| ApiError::not_found())?;
    let content = state.services.signed_media_content(&q.workspace, &id, &q.variant, q.expires, &q.signature).await?;
    respond(&state.services, content, &headers, "private, max-age=300").await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaDerivative {
    pub network: String,
    pub mime: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// True when the original already meets every limit and is used as it is.
    pub original: bool,
    /// Fetch it from `…/content?variant=network:<network>`.
    pub variant: String,
}

impl From<Derivative> for MediaDerivative {
    fn from(d: Derivative) -> Self {
        Self { network: d.network.to_string(), variant: format!("network:{}", d.network), mime: d.mime, bytes: d.bytes, width: d.width, height: d.height, original: d.original }
    }
}

/// The asset as a network takes it (post:read): cropped into its aspect ratios, scaled into its
/// dimensions, converted to a format it accepts and recompressed under its size limit; made on
/// first request, then cached.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/media/{mediaId}/derivatives/{network}", tag = "media", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("mediaId" = String, Path), ("network" = String, Path)),
    responses((status = 200, body = MediaDerivative), (status = 404, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope)))]
async fn derivative(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String, String)>) -> ApiResult<Json<MediaDerivative>> {
    let network: Network = ids.2.parse().map_err(|_| ApiError::not_found())?;
    Ok(Json(state.services.media_derivative(&ws.access, media_id(&ids.1)?, network).await?.into()))
}
