//! Approval: submit a draft, the queue of posts awaiting approval, approve (optionally with an
//! edit, in one call), reject with a reason, and a post's approval trail.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::HeaderMap,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::agents::approvals::{ApprovalEntry, QueueItem};

use super::posts::{Post, PostRequest, ScheduleBody, ScheduleResponse, post_id};
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue)).routes(routes!(submit)).routes(routes!(approve)).routes(routes!(reject)).routes(routes!(trail))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry {
    pub post: Post,
    /// Submissions (with the agents' reasoning), approvals and rejections, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub trail: Vec<ApprovalEntry>,
}

impl From<QueueItem> for QueueEntry {
    fn from(item: QueueItem) -> Self {
        QueueEntry { post: item.post.into(), trail: item.trail }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only posts to this account.
    pub account_id: Option<String>,
}

/// Posts awaiting approval, by proposed time, each with its trail. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/approvals", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), QueueQuery), responses((status = 200, body = Vec<QueueEntry>), (status = 404, body = ErrorEnvelope)))]
async fn queue(State(state): State<AppState>, ws: WorkspaceAccess, Query(query): Query<QueueQuery>) -> ApiResult<Json<Vec<QueueEntry>>> {
    let account = query.account_id.as_deref().map(|a| a.parse().map_err(|_| ApiError::validation("accountId", "is not an account id"))).transpose()?;
    Ok(Json(state.services.approval_queue(&ws.access, account).await?.into_iter().map(QueueEntry::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmitBody {
    /// For the approver, up to 1000 characters.
    pub note: Option<String>,
}

/// Submit a draft for approval (post:update).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/submit", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), request_body = SubmitBody,
    responses((status = 200, body = Post), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn submit(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> ApiResult<Json<Post>> {
    Ok(Json(state.services.submit_for_approval(&ws.access, post_id(&ids.1)?, body.note.as_deref(), &meta).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApproveBody {
    /// Edit then approve: the post's new content, targets, campaign, tags and notes (as for
    /// PUT /posts/{postId}, with `If-Match` honoured).
    pub edit: Option<PostRequest>,
    /// When to publish; default: the proposed time.
    pub schedule: Option<ScheduleBody>,
}

fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(raw) = headers.get(axum::http::header::IF_MATCH) else {
        return Ok(None);
    };
    raw.to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| ApiError::validation("If-Match", "must be the post's version, e.g. \"3\""))
}

/// Approve a post awaiting approval (post:publish): it is scheduled at its proposed time (or
/// `schedule`) through the ordinary schedule path. With `edit`, the post is edited first in the
/// same call; `If-Match: "<version>"` refuses the edit (409) if the post moved on.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/approve", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path), ("If-Match" = Option<String>, Header, description = "the version read, for an edit")),
    request_body = ApproveBody,
    responses((status = 200, body = ScheduleResponse), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn approve(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ApproveBody>,
) -> ApiResult<Json<ScheduleResponse>> {
    let expected = if_match(&headers)?;
    let edit = body.edit.map(|e| e.into_input()).transpose()?.map(|input| (input, expected));
    let when = body.schedule.map(ScheduleBody::into_request).transpose()?;
    Ok(Json(state.services.approve_post(&ws.access, post_id(&ids.1)?, edit, when, &meta).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RejectBody {
    /// Why, 1–1000 characters: kept on the post and for its accounts, read by the agents.
    pub reason: String,
}

/// Reject a post awaiting approval (post:publish): back to draft, the reason kept.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/reject", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), request_body = RejectBody,
    responses((status = 200, body = Post), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn reject(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<RejectBody>,
) -> ApiResult<Json<Post>> {
    Ok(Json(state.services.reject_post(&ws.access, post_id(&ids.1)?, &body.reason, &meta).await?.into()))
}

/// A post's approval trail: submissions (with reasoning), approvals, rejections and their
/// reasons, oldest first. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/approvals", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = Vec<Object>), (status = 404, body = ErrorEnvelope)))]
async fn trail(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Vec<ApprovalEntry>>> {
    Ok(Json(state.services.approval_trail(&ws.access, post_id(&ids.1)?).await?))
}
