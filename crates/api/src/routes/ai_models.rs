//! Content intelligence from the workspace's own figures: the performance model
//! (`/ai/models/performance`, its training), predictions (`/ai/predict`), optimize suggestions
//! (`/ai/optimize`) and an account's best times to post (`/accounts/{accountId}/best-times`).

use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::Timestamp;
use zenalto_domain::publishing::Network;
use zenalto_services::ai::PredictInput;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, WorkspaceAccess},
    routes::accounts::account_id,
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(performance_model))
        .routes(routes!(train_performance_model))
        .routes(routes!(predict))
        .routes(routes!(optimize))
        .routes(routes!(best_times))
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Json<Value>> {
    serde_json::to_value(value)
        .map(Json)
        .map_err(ApiError::internal)
}

fn network(raw: &str, field: &str) -> ApiResult<Network> {
    raw.parse()
        .map_err(|_| ApiError::validation(field, format!("unknown network {raw}")))
}

/// The workspace's performance model: whether it is trained, on how many posts, when, its
/// k-fold cross-validated MAE, R² and rank correlation against the workspace mean, and its
/// strongest effects. Needs analytics:view.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/ai/models/performance", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn performance_model(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_performance_model(&ws.access).await?)
}

/// Retrains the performance model now from the workspace's published posts with figures
/// (the background loop also does, hourly when due). 422 below the minimum of posts. Needs
/// analytics:view.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/models/performance/train", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn train_performance_model(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_train_performance(&ws.access).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PredictBody {
    pub text: String,
    /// x, linkedin, …; or give `accountId`.
    pub network: Option<String>,
    pub account_id: Option<String>,
    /// RFC 3339; default now.
    pub scheduled_at: Option<String>,
    #[serde(default)]
    pub media_ids: Vec<String>,
}

/// Predicted engagement (likes + comments + shares + saves) of a draft with an 80 % interval
/// from the model's cross-validated error and a confidence; with too little history, the
/// workspace's median labelled as such (`source`). Needs post:read.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/predict", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = PredictBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn predict(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    ApiJson(body): ApiJson<PredictBody>,
) -> ApiResult<Json<Value>> {
    let input = PredictInput {
        network: body
            .network
            .as_deref()
            .map(|n| network(n, "network"))
            .transpose()?,
        account_id: body.account_id.as_deref().map(account_id).transpose()?,
        scheduled_at: body
            .scheduled_at
            .as_deref()
            .map(|r| {
                Timestamp::parse_rfc3339(r).ok_or_else(|| {
                    ApiError::validation("scheduledAt", "must be an RFC 3339 timestamp")
                })
            })
            .transpose()?,
        media_ids: body.media_ids,
        text: body.text,
    };
    to_json(state.services.ai_predict(&ws.access, input).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OptimizeBody {
    pub text: String,
    pub network: String,
}

/// Concrete suggestions for a draft (what, why, and the expected effect when the workspace's
/// model can price it) and the draft's predicted performance. Needs post:read.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/optimize", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = OptimizeBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn optimize(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    ApiJson(body): ApiJson<OptimizeBody>,
) -> ApiResult<Json<Value>> {
    let network = network(&body.network, "network")?;
    to_json(
        state
            .services
            .ai_optimize(&ws.access, &body.text, network)
            .await?,
    )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct BestTimesQuery {
    /// IANA time zone of the hours, default UTC.
    pub time_zone: Option<String>,
    /// 1–168, default 10.
    pub limit: Option<usize>,
}

/// The account's best hours of the week to post, ranked, from its own engagement history,
/// shrunk toward an assumed prior where data is thin; each slot with its score (1 = the
/// account's average), posts and confidence. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/best-times", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path), BestTimesQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn best_times(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    query: Result<Query<BestTimesQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let account = account_id(&ids.1)?;
    let zone = query.time_zone.unwrap_or_else(|| "UTC".into());
    to_json(
        state
            .services
            .ai_best_times(&ws.access, account, &zone, query.limit.unwrap_or(10))
            .await?,
    )
}
