//! Posts: `/api/v1/workspaces/{workspaceId}/posts` — create, read, edit, delete, duplicate,
//! validate per network, schedule, unschedule and publish now.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{
    PostId, Timestamp,
    posts::{ContentOverride, PostContent},
    publishing::Issue,
};
use zenalto_services::publishing::{
    PostView, TargetView,
    posts::{PostInput, TargetInput},
    schedule::{RecurrenceInput, ScheduleRequest, Scheduled, TargetReport},
};
use zenalto_store::repo::posts::PostFilter;

use super::accounts::account_id;
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_posts, create_post))
        .routes(routes!(get_post, update_post, delete_post))
        .routes(routes!(duplicate_post))
        .routes(routes!(validate_post))
        .routes(routes!(preview_post))
        .routes(routes!(schedule_post))
        .routes(routes!(unschedule_post))
        .routes(routes!(publish_now))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub id: String,
    pub account_id: String,
    pub network: String,
    pub status: String,
    #[schema(value_type = Option<Object>)]
    pub overrides: Option<ContentOverride>,
    pub error: Option<String>,
    pub platform_post_id: Option<String>,
    pub platform_url: Option<String>,
    pub published_at: Option<String>,
}

impl From<TargetView> for Target {
    fn from(t: TargetView) -> Self {
        Self {
            id: t.id.to_string(),
            account_id: t.account_id.to_string(),
            network: t.network.to_string(),
            status: t.status.to_string(),
            overrides: t.overrides,
            error: t.error,
            platform_post_id: t.platform_post_id,
            platform_url: t.platform_url,
            published_at: t.published_at.map(|p| p.to_string()),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    pub id: String,
    /// draft, pending_approval, scheduled, publishing, published, partially_published, failed, cancelled
    pub status: String,
    #[schema(value_type = Object)]
    pub content: PostContent,
    pub targets: Vec<Target>,
    pub campaign: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub scheduled_at: Option<String>,
    pub time_zone: Option<String>,
    pub local_time: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub recurrence: Option<serde_json::Value>,
    pub version: i64,
    pub author_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<PostView> for Post {
    fn from(p: PostView) -> Self {
        Self {
            id: p.id.to_string(),
            status: p.status.to_string(),
            content: p.content,
            targets: p.targets.into_iter().map(Target::from).collect(),
            campaign: p.campaign,
            tags: p.tags,
            notes: p.notes,
            scheduled_at: p.scheduled_at.map(|t| t.to_string()),
            time_zone: p.time_zone,
            local_time: p.local_time,
            recurrence: p.recurrence.as_deref().and_then(|r| serde_json::from_str(r).ok()),
            version: p.version,
            author_id: p.author_id.map(|a| a.to_string()),
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetRequest {
    pub account_id: String,
    /// Per-network version: any of text, mediaIds, firstComment, title.
    #[schema(value_type = Option<Object>)]
    pub overrides: Option<ContentOverride>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostRequest {
    /// text, mediaIds, hashtags, mentions, link, firstComment, title
    #[schema(value_type = Object)]
    pub content: PostContent,
    #[serde(default)]
    pub targets: Vec<TargetRequest>,
    pub campaign: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub notes: Option<String>,
}

impl PostRequest {
    pub(crate) fn into_input(self) -> Result<PostInput, ApiError> {
        let mut targets = Vec::with_capacity(self.targets.len());
        for (i, t) in self.targets.into_iter().enumerate() {
            let account_id = t.account_id.parse().map_err(|_| ApiError::validation(&format!("targets[{i}].accountId"), "is not an account id"))?;
            targets.push(TargetInput { account_id, overrides: t.overrides });
        }
        Ok(PostInput { content: self.content, targets, campaign: self.campaign, tags: self.tags, notes: self.notes })
    }
}

pub(crate) fn post_id(raw: &str) -> Result<PostId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PostQuery {
    /// Scheduled at or after (RFC 3339).
    pub from: Option<String>,
    /// Scheduled before (RFC 3339).
    pub to: Option<String>,
    /// Comma-separated statuses.
    pub status: Option<String>,
    pub campaign: Option<String>,
    pub tag: Option<String>,
    pub account_id: Option<String>,
    pub network: Option<String>,
    /// At most this many (1–5000, default 500).
    pub limit: Option<i64>,
}

impl PostQuery {
    pub(crate) fn filter(&self) -> Result<PostFilter, ApiError> {
        let time = |field: &str, raw: &Option<String>| -> Result<Option<Timestamp>, ApiError> {
            raw.as_deref().map(|r| Timestamp::parse_rfc3339(r).ok_or_else(|| ApiError::validation(field, "must be an RFC 3339 timestamp"))).transpose()
        };
        let statuses: Vec<String> = self.status.as_deref().map(|s| s.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        for s in &statuses {
            s.parse::<zenalto_domain::posts::PostStatus>().map_err(|_| ApiError::validation("status", format!("unknown status {s}")))?;
        }
        if let Some(n) = &self.network {
            n.parse::<zenalto_domain::publishing::Network>().map_err(|_| ApiError::validation("network", format!("unknown network {n}")))?;
        }
        if let Some(a) = &self.account_id {
            account_id(a).map_err(|_| ApiError::validation("accountId", "is not an account id"))?;
        }
        Ok(PostFilter {
            from: time("from", &self.from)?,
            to: time("to", &self.to)?,
            statuses,
            campaign: self.campaign.clone(),
            tag: self.tag.clone(),
            account_id: self.account_id.clone(),
            network: self.network.clone(),
        })
    }

    pub(crate) fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            Some(l) if !(1..=5000).contains(&l) => Err(ApiError::validation("limit", "must be between 1 and 5000")),
            Some(l) => Ok(l),
            None => Ok(500),
        }
    }
}

/// Create a draft (post:create).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = PostRequest,
    responses((status = 201, body = Post), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_post(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<PostRequest>) -> ApiResult<impl IntoResponse> {
    let post = state.services.create_post(&ws.access, body.into_input()?, &meta).await?;
    Ok((StatusCode::CREATED, Json(Post::from(post))))
}

/// Posts by scheduled time (unscheduled last), filtered.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), PostQuery), responses((status = 200, body = Vec<Post>), (status = 422, body = ErrorEnvelope)))]
async fn list_posts(State(state): State<AppState>, ws: WorkspaceAccess, query: Result<Query<PostQuery>, axum::extract::rejection::QueryRejection>) -> ApiResult<Json<Vec<Post>>> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let posts = state.services.list_posts(&ws.access, &query.filter()?, query.limit()?).await?;
    Ok(Json(posts.into_iter().map(Post::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = Post), (status = 404, body = ErrorEnvelope)))]
async fn get_post(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Post>> {
    Ok(Json(state.services.get_post(&ws.access, post_id(&ids.1)?).await?.into()))
}

/// Replace the content, targets, campaign, tags and notes (post:update). A scheduled post stays
/// scheduled and is re-validated; refused (409) while it is being published.
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), request_body = PostRequest,
    responses((status = 200, body = Post), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn update_post(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, ApiJson(body): ApiJson<PostRequest>) -> ApiResult<Json<Post>> {
    Ok(Json(state.services.update_post(&ws.access, post_id(&ids.1)?, body.into_input()?, &meta).await?.into()))
}

/// Delete a post (post:delete); its pending publish is cancelled in the same transaction.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn delete_post(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    state.services.delete_post(&ws.access, post_id(&ids.1)?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Copy a post as a new draft.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/duplicate", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 201, body = Post), (status = 404, body = ErrorEnvelope)))]
async fn duplicate_post(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<impl IntoResponse> {
    let post = state.services.duplicate_post(&ws.access, post_id(&ids.1)?, &meta).await?;
    Ok((StatusCode::CREATED, Json(Post::from(post))))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TargetValidation {
    pub target_id: String,
    pub account_id: String,
    pub network: String,
    /// False when any issue is an error: the post cannot be scheduled as it is.
    pub publishable: bool,
    #[schema(value_type = Vec<Object>)]
    pub issues: Vec<Issue>,
    /// What goes out: one part, or several for a thread.
    pub parts: Vec<String>,
}

impl From<TargetReport> for TargetValidation {
    fn from(r: TargetReport) -> Self {
        Self {
            target_id: r.target.id.to_string(),
            account_id: r.target.account_id.to_string(),
            network: r.target.network.to_string(),
            publishable: !r.report.blocks_scheduling(),
            issues: r.report.issues,
            parts: r.parts,
        }
    }
}

/// A target of an unsaved draft as its network would see it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TargetPreview {
    pub account_id: String,
    pub network: String,
    pub handle: String,
    /// The text measured the way this network counts it.
    pub length: TextLength,
    pub publishable: bool,
    #[schema(value_type = Vec<Object>)]
    pub issues: Vec<Issue>,
    /// What goes out: one part, or several for a thread.
    pub parts: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TextLength {
    pub used: usize,
    pub limit: usize,
    /// characters, bytes, …
    pub unit: String,
}

impl From<zenalto_services::publishing::preview::TargetPreview> for TargetPreview {
    fn from(p: zenalto_services::publishing::preview::TargetPreview) -> Self {
        Self {
            account_id: p.account_id.to_string(),
            network: p.network.to_string(),
            handle: p.handle,
            length: TextLength { used: p.length.used, limit: p.length.limit, unit: p.unit.to_owned() },
            publishable: p.publishable,
            issues: p.issues,
            parts: p.parts,
        }
    }
}

/// Check a draft that is not saved yet against each target's network (what the composer shows
/// while typing). Nothing is stored.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/preview", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = PostRequest,
    responses((status = 200, body = Vec<TargetPreview>), (status = 422, body = ErrorEnvelope)))]
async fn preview_post(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<PostRequest>) -> ApiResult<Json<Vec<TargetPreview>>> {
    Ok(Json(state.services.preview_post(&ws.access, body.into_input()?).await?.into_iter().map(TargetPreview::from).collect()))
}

/// Check every target against its network's rules: errors block scheduling, warnings and
/// suggestions do not.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/validation", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = Vec<TargetValidation>), (status = 404, body = ErrorEnvelope)))]
async fn validate_post(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Vec<TargetValidation>>> {
    Ok(Json(state.services.validate_post(&ws.access, post_id(&ids.1)?).await?.into_iter().map(TargetValidation::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleBody {
    /// An instant (RFC 3339). Or:
    pub at: Option<String>,
    /// a wall-clock time such as `2026-03-29T09:00` with its IANA `timeZone`. Or:
    pub local_time: Option<String>,
    pub time_zone: Option<String>,
    /// the next free posting slot of the first target account.
    #[serde(default)]
    pub next_free_slot: bool,
    /// `{"rrule": "FREQ=WEEKLY;BYDAY=MO", "variations": ["…", "…"]}`
    #[schema(value_type = Option<Object>)]
    pub recurrence: Option<RecurrenceBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecurrenceBody {
    pub rrule: String,
    #[serde(default)]
    pub variations: Vec<String>,
}

impl ScheduleBody {
    pub(crate) fn into_request(self) -> Result<ScheduleRequest, ApiError> {
        let at = self.at.as_deref().map(|a| Timestamp::parse_rfc3339(a).ok_or_else(|| ApiError::validation("at", "must be an RFC 3339 timestamp"))).transpose()?;
        Ok(ScheduleRequest {
            at,
            local_time: self.local_time,
            time_zone: self.time_zone,
            next_free_slot: self.next_free_slot,
            recurrence: self.recurrence.map(|r| RecurrenceInput { rrule: r.rrule, variations: r.variations, index: 0, dtstart: None }),
        })
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleResponse {
    pub post: Post,
    /// How an ambiguous wall-clock time was settled: `{"kind":"none"}`, a DST gap (moved later)
    /// or a DST fold (the earlier instant).
    #[schema(value_type = Object)]
    pub time_adjustment: zenalto_domain::schedule::Adjustment,
    /// Warnings and suggestions from validation (errors would have refused the request).
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<Issue>,
}

impl From<Scheduled> for ScheduleResponse {
    fn from(s: Scheduled) -> Self {
        Self { post: s.post.into(), time_adjustment: s.adjustment, warnings: s.warnings }
    }
}

/// Schedule or reschedule (post:publish): at an instant, at a wall-clock time in an IANA zone
/// (DST-safe), or in the next free posting slot; optionally recurring by RRULE.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/schedule", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), request_body = ScheduleBody,
    responses((status = 200, body = ScheduleResponse), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn schedule_post(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>, ApiJson(body): ApiJson<ScheduleBody>) -> ApiResult<Json<ScheduleResponse>> {
    Ok(Json(state.services.schedule_post(&ws.access, post_id(&ids.1)?, body.into_request()?, &meta).await?.into()))
}

/// Back to draft (post:publish); the pending publish is cancelled in the same transaction.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/unschedule", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = Post), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
async fn unschedule_post(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Post>> {
    Ok(Json(state.services.unschedule_post(&ws.access, post_id(&ids.1)?, &meta).await?.into()))
}

/// Publish as soon as a worker is free (post:publish).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/publish", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = ScheduleResponse), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn publish_now(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<ScheduleResponse>> {
    Ok(Json(state.services.publish_now(&ws.access, post_id(&ids.1)?, &meta).await?.into()))
}
