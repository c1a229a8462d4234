//! Brand voice: `/api/v1/workspaces/{workspaceId}/ai/brand-voice` — learn it from examples and
//! the workspace's best posts, read it, and score a draft's consistency with it.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::agents::voice::LearnInput;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_voice, learn_voice)).routes(routes!(score_draft))
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Json<Value>> {
    serde_json::to_value(value).map(Json).map_err(ApiError::internal)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LearnBody {
    /// Up to 50 texts in the voice, 1–5000 characters each.
    #[serde(default)]
    pub examples: Vec<String>,
    /// How many of the workspace's best posts to learn from too (0–100, default 20).
    pub best_posts: Option<usize>,
}

/// The learned brand voice (`profile: null` until learned) and what it was learned from.
/// Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/ai/brand-voice", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn get_voice(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Value>> {
    to_json(state.services.brand_voice(&ws.access).await?)
}

/// Learn the brand voice from examples and the workspace's best posts (by reported engagement,
/// else the latest published, else the latest posts — `sources.bestPosts.rankedBy` says which),
/// replacing the stored one. Needs settings:update.
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/ai/brand-voice", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = LearnBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn learn_voice(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<LearnBody>) -> ApiResult<Json<Value>> {
    to_json(state.services.learn_brand_voice(&ws.access, LearnInput { examples: body.examples, best_posts: body.best_posts }, &meta).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoreBody {
    pub text: String,
}

/// A draft's consistency with the brand voice, 0–100, per dimension with explanations
/// ("Sentences about twice as long as your usual"). 409 until the voice is learned. Needs post:read.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/brand-voice/score", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = ScoreBody,
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn score_draft(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<ScoreBody>) -> ApiResult<Json<Value>> {
    to_json(state.services.brand_voice_score(&ws.access, &body.text).await?)
}
