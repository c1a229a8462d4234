//! Posts as CSV: `/api/v1/workspaces/{workspaceId}/posts/export.csv` with the post list's
//! filters, and `…/posts/import` of the same columns, row by row.

use axum::{
    Json,
    body::Bytes,
    extract::{Query, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::{FieldErrors, publishing::import::RowResult};

use super::posts::PostQuery;
use crate::{
    error::{ApiError, ApiResult, ErrorCode, ErrorEnvelope},
    extract::{Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_posts)).routes(routes!(import_posts))
}

/// Most posts one export carries (the post list's ceiling); the default without `limit`.
const EXPORT_LIMIT: i64 = 5000;

/// The filtered posts as CSV: `id,status,text,scheduled_at,time_zone,local_time,accounts,campaign,
/// tags,notes,link,first_comment` (accounts and tags `;`-joined; cells that a spreadsheet would
/// run as a formula are prefixed with `'`). Up to `limit` (default and most 5000) posts, by
/// scheduled time; the `zenalto-more-results: true` header says when more matched.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/export.csv", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), PostQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = ErrorEnvelope)))]
async fn export_posts(State(state): State<AppState>, ws: WorkspaceAccess, query: Result<Query<PostQuery>, axum::extract::rejection::QueryRejection>) -> ApiResult<impl IntoResponse> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let limit = if query.limit.is_some() { query.limit()? } else { EXPORT_LIMIT };
    let (csv, more) = state.services.posts_csv(&ws.access, &query.filter()?, limit).await?;
    Ok((super::posts::more_results(more), [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"posts.csv\"")], csv))
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub rows: Vec<ImportRow>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportRow {
    /// The spreadsheet row; the header is row 1.
    pub row: usize,
    /// created, scheduled or error.
    pub status: String,
    /// The new post; also set for a row whose draft was created but could not be scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_id: Option<String>,
    /// CSV column (or `row`) → message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
}

impl From<RowResult> for ImportRow {
    fn from(r: RowResult) -> Self {
        Self { row: r.row, status: r.status.as_str().to_owned(), post_id: r.post_id.map(|p| p.to_string()), errors: r.errors }
    }
}

/// Creates a draft per row of a CSV file (header `text,accounts,local_time,time_zone,campaign,tags,
/// link,first_comment`, plus optional `notes`; an exported file's other columns are ignored) and
/// schedules rows that give `local_time` and `time_zone`. `accounts` are `;`-separated account ids
/// or handles. Rows succeed or fail on their own; at most 1000 rows (post:create).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/import", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportResult), (status = 403, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn import_posts(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult<impl IntoResponse> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| matches!(mime.trim().to_ascii_lowercase().as_str(), "text/csv" | "application/csv"));
    if !is_csv {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType, "send the file with Content-Type: text/csv"));
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::PayloadTooLarge, "the request body is too large")
        } else {
            ApiError::new(ErrorCode::ValidationError, format!("could not read the request body: {rejection}"))
        }
    })?;
    let rows = state.services.import_posts_csv(&ws.access, &body, &meta).await?;
    Ok(Json(ImportResult { rows: rows.into_iter().map(ImportRow::from).collect() }))
}
