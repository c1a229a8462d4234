//! Engagement figures the networks report: per published post target and per account
//! (`/api/v1/workspaces/{workspaceId}/posts/{postId}/metrics`, `…/accounts/{accountId}/metrics`).

use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::Timestamp;
use zenalto_services::insights::{AccountFigures, PostMetricsReport, TargetMetrics};

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::WorkspaceAccess,
    routes::{accounts::account_id, posts::post_id},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(post_metrics))
        .routes(routes!(refresh_post_metrics))
        .routes(routes!(account_metrics))
        .routes(routes!(refresh_account_metrics))
}

fn instant(millis: i64) -> String {
    Timestamp::from_millis(millis).to_string()
}

/// The figures a network reported; absent: the network does not report it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostFigures {
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub clicks: Option<i64>,
    pub video_views: Option<i64>,
}

/// One target of the post with its latest figures.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TargetFigures {
    pub target_id: String,
    pub account_id: String,
    pub network: String,
    pub status: String,
    pub platform_post_id: Option<String>,
    pub platform_url: Option<String>,
    pub published_at: Option<String>,
    /// Null until the first fetch.
    pub metrics: Option<PostFigures>,
    pub fetched_at: Option<String>,
    /// Set by a refresh when the network failed this time; the figures shown are the stored ones.
    pub refresh_error: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostMetrics {
    pub post_id: String,
    pub targets: Vec<TargetFigures>,
}

impl PostMetrics {
    fn new(post: &str, report: PostMetricsReport) -> Self {
        let targets = report
            .targets
            .into_iter()
            .map(|t: TargetMetrics| {
                let refresh_error = report.errors.iter().find(|(id, _)| *id == t.target_id).map(|(_, e)| e.clone());
                let f = t.figures;
                TargetFigures {
                    target_id: t.target_id.to_string(),
                    account_id: t.account_id.to_string(),
                    network: t.network,
                    status: t.status,
                    platform_post_id: t.platform_post_id,
                    platform_url: t.platform_url,
                    published_at: t.published_at.map(instant),
                    metrics: t.fetched_at.map(|_| PostFigures {
                        impressions: f.impressions,
                        reach: f.reach,
                        likes: f.likes,
                        comments: f.comments,
                        shares: f.shares,
                        saves: f.saves,
                        clicks: f.clicks,
                        video_views: f.video_views,
                    }),
                    fetched_at: t.fetched_at.map(instant),
                    refresh_error,
                }
            })
            .collect();
        Self { post_id: post.to_owned(), targets }
    }
}

/// One fetch of an account's figures.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountPoint {
    pub followers: Option<i64>,
    pub following: Option<i64>,
    pub posts: Option<i64>,
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub fetched_at: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountMetrics {
    pub account_id: String,
    /// Oldest first.
    pub series: Vec<AccountPoint>,
}

impl AccountMetrics {
    fn new(account: &str, rows: Vec<AccountFigures>) -> Self {
        let series = rows
            .into_iter()
            .map(|r| AccountPoint {
                followers: r.figures.followers,
                following: r.figures.following,
                posts: r.figures.posts,
                impressions: r.figures.impressions,
                reach: r.figures.reach,
                fetched_at: instant(r.fetched_at),
            })
            .collect();
        Self { account_id: account.to_owned(), series }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// How many days back, 1–3660 (default 30).
    pub days: Option<i64>,
}

/// The latest figures of each target of a post (analytics:view). Fetched hourly for 30 days
/// after publishing.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/metrics", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = PostMetrics), (status = 404, body = ErrorEnvelope)))]
async fn post_metrics(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<PostMetrics>> {
    let report = state.services.post_metrics(&ws.access, post_id(&ids.1)?).await?;
    Ok(Json(PostMetrics::new(&ids.1, report)))
}

/// Fetch fresh figures for every published target of the post now (analytics:view); a target
/// whose network failed keeps its stored figures and says why in `refreshError`.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/{postId}/metrics/refresh", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("postId" = String, Path)), responses((status = 200, body = PostMetrics), (status = 404, body = ErrorEnvelope)))]
async fn refresh_post_metrics(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<PostMetrics>> {
    let report = state.services.refresh_post_metrics(&ws.access, post_id(&ids.1)?).await?;
    Ok(Json(PostMetrics::new(&ids.1, report)))
}

/// The account's figures over time (analytics:view), fetched about daily.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/metrics", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path), SeriesQuery),
    responses((status = 200, body = AccountMetrics), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn account_metrics(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    query: Result<Query<SeriesQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<AccountMetrics>> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let days = query.days.unwrap_or(30);
    if !(1..=3660).contains(&days) {
        return Err(ApiError::validation("days", "must be between 1 and 3660"));
    }
    let rows = state.services.account_metrics(&ws.access, account_id(&ids.1)?, days).await?;
    Ok(Json(AccountMetrics::new(&ids.1, rows)))
}

/// Fetch the account's figures now (analytics:view); answers with the last 30 days. 502 with
/// the network's reason when it fails (a refused token also marks the account expired).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/metrics/refresh", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)),
    responses((status = 200, body = AccountMetrics), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
async fn refresh_account_metrics(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<AccountMetrics>> {
    let rows = state.services.refresh_account_metrics(&ws.access, account_id(&ids.1)?).await?;
    Ok(Json(AccountMetrics::new(&ids.1, rows)))
}
