//! The prompt template library: `/api/v1/workspaces/{workspaceId}/ai/templates` — built-in
//! templates and the workspace's own (CRUD), rendering with variables, and drafts generated
//! from a template through the provider chain or the local engine.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::publishing::Network;
use zenalto_services::ai::TemplateInput;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, create_template))
        .routes(routes!(get_template, update_template, delete_template))
        .routes(routes!(render_template))
        .routes(routes!(generate_from_template))
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Json<Value>> {
    serde_json::to_value(value)
        .map(Json)
        .map_err(ApiError::internal)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateBody {
    pub name: String,
    /// promotional, educational, … or your own word.
    pub category: String,
    /// What a provider is told about the post's purpose.
    #[serde(default)]
    pub instructions: String,
    /// The post skeleton with `{{variable}}` placeholders.
    pub body: String,
    /// `[{"name", "description", "required"? (default true)}]`
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub variables: Vec<zenalto_ai::local::templates::Variable>,
}

impl From<TemplateBody> for TemplateInput {
    fn from(b: TemplateBody) -> Self {
        TemplateInput {
            name: b.name,
            category: b.category,
            instructions: b.instructions,
            body: b.body,
            variables: b.variables,
        }
    }
}

/// Built-in templates (promotional, educational, storytelling, engagement, announcement,
/// behind-the-scenes) and the workspace's own. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/ai/templates", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn list_templates(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
) -> ApiResult<Json<Value>> {
    to_json(serde_json::json!({ "items": state.services.ai_templates(&ws.access).await? }))
}

/// Adds a workspace template; every `{{variable}}` of the body must be declared. Needs
/// post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/templates", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = TemplateBody,
    responses((status = 201, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_template(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    ApiJson(body): ApiJson<TemplateBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        to_json(
            state
                .services
                .create_ai_template(&ws.access, body.into(), &meta)
                .await?,
        )?,
    ))
}

/// One template, built-in (by its slug) or the workspace's. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/ai/templates/{templateId}", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("templateId" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn get_template(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    to_json(state.services.ai_template(&ws.access, &ids.1).await?)
}

/// Replaces a workspace template (built-ins cannot be changed: 422). Needs post:create.
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/ai/templates/{templateId}", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("templateId" = String, Path)), request_body = TemplateBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn update_template(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<TemplateBody>,
) -> ApiResult<Json<Value>> {
    to_json(
        state
            .services
            .update_ai_template(&ws.access, &ids.1, body.into(), &meta)
            .await?,
    )
}

/// Deletes a workspace template. Needs post:create.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/ai/templates/{templateId}", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("templateId" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn delete_template(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    state
        .services
        .delete_ai_template(&ws.access, &ids.1, &meta)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderBody {
    /// Variable name → value.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// The template filled with the variables; a missing required or an unknown variable is a 422
/// naming it (`variables.<name>`). Needs post:read.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/templates/{templateId}/render", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("templateId" = String, Path)), request_body = RenderBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn render_template(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<RenderBody>,
) -> ApiResult<Json<Value>> {
    to_json(
        state
            .services
            .ai_render_template(&ws.access, &ids.1, &body.variables)
            .await?,
    )
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateGenerateBody {
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    pub networks: Vec<String>,
    /// 1–4 per network, default 3.
    pub variations: Option<usize>,
}

/// Fills the template and writes variations per network through the provider chain or the
/// local engine, each fitted to and validated for its network and scored. Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/ai/templates/{templateId}/generate", tag = "ai", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("templateId" = String, Path)), request_body = TemplateGenerateBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn generate_from_template(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<TemplateGenerateBody>,
) -> ApiResult<Json<Value>> {
    let mut networks = Vec::new();
    for name in &body.networks {
        let network: Network = name
            .parse()
            .map_err(|_| ApiError::validation("networks", format!("unknown network {name}")))?;
        networks.push(network);
    }
    to_json(
        state
            .services
            .ai_generate_from_template(
                &ws.access,
                &ids.1,
                &body.variables,
                &networks,
                body.variations.unwrap_or(3),
            )
            .await?,
    )
}
