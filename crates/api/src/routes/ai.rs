//! AI: `/api/v1/workspaces/{workspaceId}/ai/…` — analyze, hashtags and rewrite from the local
//! engine; generate from the workspace's provider chain or the local engine; provider settings
//! (keys never returned) and this month's usage and cost.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_ai::local::draft::Brief;
use zenalto_ai::local::rewrite::Style;
use zenalto_domain::publishing::Network;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(analyze))
        .routes(routes!(hashtags))
        .routes(routes!(rewrite))
        .routes(routes!(generate))
        .routes(routes!(translate))
        .routes(routes!(alt_text))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(usage))
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Json<Value>> {
    serde_json::to_value(value).map(Json).map_err(ApiError::internal)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TextBody {
    pub text: String,
}

/// Sentiment (lexicon and rules), key phrases (RAKE), words distinctive against the workspace's
/// posts (TF-IDF) and readability (Flesch). Needs post:read.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/analyze", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = TextBody,
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn analyze(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<TextBody>) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_analyze(&ws.access, &body.text).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HashtagsBody {
    pub text: String,
    /// 1–30, default 10.
    pub limit: Option<usize>,
}

/// Hashtags ranked from the workspace's own posts, each saying which data it came from.
/// Needs post:read.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/hashtags", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = HashtagsBody,
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn hashtags(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<HashtagsBody>) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_hashtags(&ws.access, &body.text, body.limit.unwrap_or(10)).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RewriteBody {
    pub text: String,
    /// shorten, simplify, formal, casual, expand
    pub style: String,
}

/// A rewrite by the workspace's providers, or by the local engine's rules (with the reason when
/// providers are configured but were not used), and what changed. Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/rewrite", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = RewriteBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn rewrite(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<RewriteBody>) -> ApiResult<Json<Value>> {
    let style: Style = serde_json::from_value(Value::String(body.style.clone()))
        .map_err(|_| ApiError::validation("style", "one of shorten, simplify, formal, casual, expand"))?;
    to_json(state.services.ai_rewrite(&ws.access, &body.text, style).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateBody {
    /// `{"topic": "…", "points": ["…"], "callToAction": "…", "link": "…"}`
    #[schema(value_type = Object)]
    pub brief: BriefBody,
    /// Network names: x, linkedin, instagram, …
    pub networks: Vec<String>,
    /// 1–4 per network, default 3.
    pub variations: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BriefBody {
    pub topic: String,
    #[serde(default)]
    pub points: Vec<String>,
    pub call_to_action: Option<String>,
    pub link: Option<String>,
}

/// Variations per network from a brief, each fitted to and validated for its network, with a
/// quality score and its reasoning, and the cost. Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/generate", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = GenerateBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn generate(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<GenerateBody>) -> ApiResult<Json<Value>> {
    let mut networks = Vec::new();
    for name in &body.networks {
        let network: Network = name.parse().map_err(|_| ApiError::validation("networks", format!("unknown network {name}")))?;
        networks.push(network);
    }
    let brief = Brief { topic: body.brief.topic, points: body.brief.points, call_to_action: body.brief.call_to_action, link: body.brief.link };
    to_json(state.services.ai_generate(&ws.access, &brief, &networks, body.variations.unwrap_or(3)).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TranslateBody {
    pub text: String,
    /// A language name or BCP 47 tag: "German", "pt-BR".
    pub language: String,
}

/// The text in another language, links, mentions and hashtags kept. Only a provider can
/// translate: without one, or over budget, 409; when every provider fails 503 (AI_UNAVAILABLE).
/// Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/translate", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = TranslateBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
async fn translate(State(state): State<AppState>, ws: WorkspaceAccess, ApiJson(body): ApiJson<TranslateBody>) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_translate(&ws.access, &body.text, &body.language).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AltTextBody {
    /// A media library asset of this workspace.
    pub media_id: String,
    /// Store the alt text on the asset (needs post:update too). Default false.
    #[serde(default)]
    pub save: bool,
}

/// Alt text and a caption for a library asset, from a vision-capable provider shown the
/// picture; otherwise from what the library measured (shape, colours, length, a meaningful file
/// name), with a note that the built-in engine cannot see it. Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/alt-text", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = AltTextBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn alt_text(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<AltTextBody>) -> ApiResult<Json<Value>> {
    let id = body.media_id.parse().map_err(|_| ApiError::validation("mediaId", "not a media id"))?;
    to_json(state.services.ai_alt_text(&ws.access, id, body.save, &meta).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsBody {
    /// In order, primary first: `[{"kind": "openai|anthropic|gemini", "baseUrl", "model",
    /// "cheapModel"?, "inputPrice"?, "outputPrice"? (USD per million tokens), "apiKey"?,
    /// "vision"? (the model takes pictures: it writes alt text)}]`.
    /// An omitted `apiKey` keeps the stored one when kind and URL are unchanged.
    #[schema(value_type = Vec<Object>)]
    pub providers: Vec<zenalto_services::ai::ProviderInput>,
    /// No provider call once this month's spend reaches it; null: no budget.
    pub monthly_budget_micros: Option<i64>,
}

/// The workspace's provider chain and monthly budget. Keys are never returned, only `keySet`.
/// Needs settings:view.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/ai/settings", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn get_settings(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_settings(&ws.access).await?)
}

/// Replaces the provider chain and budget; keys are encrypted at rest and audited only as
/// "set". Needs settings:update.
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/ai/settings", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = SettingsBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn put_settings(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<SettingsBody>) -> ApiResult<Json<Value>> {
    let input = zenalto_services::ai::SettingsInput { providers: body.providers, monthly_budget_micros: body.monthly_budget_micros };
    to_json(state.services.set_ai_settings(&ws.access, input, &meta).await?)
}

/// This month's tokens and cost per provider and model, the budget, and the response cache's
/// hit and miss counts. Needs settings:view.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/ai/usage", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn usage(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_usage(&ws.access).await?)
}
