//! The calendar: `/api/v1/workspaces/{workspaceId}/calendar` (posts grouped by month, ISO week or
//! day in a time zone), and its iCalendar feed for calendar apps, reached through a tokened URL
//! because those apps cannot send a bearer token.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::header,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::schedule::TimeZoneName;
use zenalto_services::{
    ServiceError,
    publishing::calendar::{Calendar, CalendarGroup, GroupBy},
};

use super::posts::{Post, PostQuery};
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::WorkspaceAccess,
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar)).routes(routes!(feed_token)).routes(routes!(feed))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// Scheduled at or after (RFC 3339), required.
    pub from: Option<String>,
    /// Scheduled before (RFC 3339), required; at most 366 days after `from`.
    pub to: Option<String>,
    /// month (default), week (ISO, Monday first) or day.
    pub group_by: Option<String>,
    /// IANA zone the periods are cut in; default UTC.
    pub time_zone: Option<String>,
    /// Comma-separated statuses.
    pub status: Option<String>,
    pub network: Option<String>,
    pub account_id: Option<String>,
    pub campaign: Option<String>,
    pub tag: Option<String>,
    /// At most this many posts, the earliest (1–5000, default 5000); `truncated` says when more fall in the range.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CalendarResponse {
    pub time_zone: String,
    pub group_by: String,
    /// Only periods with posts, in order.
    pub groups: Vec<Group>,
    /// More posts fall in the range than this answer carries: narrow the range or filter.
    pub truncated: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// `2026-12`, `2026-W49` or `2026-12-03`, in the requested zone.
    pub key: String,
    /// Start of the period, RFC 3339 with the zone's offset.
    pub start: String,
    pub posts: Vec<Post>,
}

impl From<Calendar> for CalendarResponse {
    fn from(c: Calendar) -> Self {
        Self { time_zone: c.time_zone.as_str().to_owned(), group_by: c.group_by.to_string(), groups: c.groups.into_iter().map(Group::from).collect(), truncated: c.truncated }
    }
}

impl From<CalendarGroup> for Group {
    fn from(g: CalendarGroup) -> Self {
        Self { key: g.key, start: g.start, posts: g.posts.into_iter().map(Post::from).collect() }
    }
}

/// Scheduled posts in a range of at most 366 days, grouped by period in a time zone (post:read).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/calendar", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), CalendarQuery), responses((status = 200, body = CalendarResponse), (status = 422, body = ErrorEnvelope)))]
async fn calendar(State(state): State<AppState>, ws: WorkspaceAccess, query: Result<Query<CalendarQuery>, axum::extract::rejection::QueryRejection>) -> ApiResult<Json<CalendarResponse>> {
    let Query(q) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    // The post list's filters, parsed and checked the same way.
    let list = PostQuery { from: q.from, to: q.to, status: q.status, campaign: q.campaign, tag: q.tag, account_id: q.account_id, network: q.network, limit: q.limit.or(Some(zenalto_services::publishing::calendar::MAX_POSTS)) };
    let filter = list.filter()?;
    let group_by: GroupBy = q.group_by.as_deref().map(str::parse).transpose()?.unwrap_or_default();
    let zone = match q.time_zone.as_deref() {
        Some(raw) => TimeZoneName::parse(raw).map_err(|e| ServiceError::field("timeZone", e.to_string()))?,
        None => TimeZoneName::utc(),
    };
    Ok(Json(state.services.calendar(&ws.access, &filter, group_by, zone, list.limit()?).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct FeedToken {
    /// Subscribe to this from a calendar app. Anyone holding it can read the calendar, until you
    /// leave the workspace.
    pub url: String,
}

/// The caller's iCalendar feed URL for this workspace (post:read; people only, not API keys).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/calendar/feed-token", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = FeedToken), (status = 403, body = ErrorEnvelope)))]
async fn feed_token(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<FeedToken>> {
    let token = state.services.calendar_feed_token(&ws.access)?;
    let base = state.services.settings.server.public_url.trim_end_matches('/').to_owned();
    Ok(Json(FeedToken { url: format!("{base}/api/v1/calendar-feeds/{token}.ics") }))
}

/// The iCalendar feed (`<token>.ics`; no bearer token): scheduled and published posts from 30
/// days back to 366 days ahead. 404 once the token's user is no longer a member.
#[utoipa::path(get, path = "/api/v1/calendar-feeds/{file}", tag = "publishing",
    params(("file" = String, Path, description = "`<token>.ics`")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorEnvelope)))]
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> ApiResult<impl IntoResponse> {
    // The router cannot match a parameter with a suffix, so `.ics` is taken off here.
    let token = file.strip_suffix(".ics").ok_or_else(ApiError::not_found)?;
    let ics = state.services.calendar_feed(token).await?;
    // Private: the URL is a credential, so shared caches must not keep the answer.
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=300")], ics))
}
