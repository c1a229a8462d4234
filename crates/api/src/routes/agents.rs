//! Agents: account profiles (`/accounts/{accountId}/profile`) and runs of the pipeline that
//! fills a week with drafts for approval (`/agents/runs`).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::agents::{pipeline::RunInput, profiles::ProfileInput};

use super::accounts::account_id;
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_profile, put_profile)).routes(routes!(list_runs, start_run)).routes(routes!(get_run))
}

fn to_json(value: impl serde::Serialize) -> ApiResult<Json<Value>> {
    serde_json::to_value(value).map(Json).map_err(ApiError::internal)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileBody {
    /// What the account is for, up to 1000 characters ("sell more weekend pastries").
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub audience: String,
    /// Up to 20, 1–100 characters each.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Up to 10, 1–300 characters each.
    #[serde(default)]
    pub current_projects: Vec<String>,
    /// 0–50.
    pub posts_per_week: i64,
    /// friendly, professional, playful, authoritative, inspirational, informative
    pub tone: String,
    /// IANA zone the agents plan in; default: the posting-slot zone, else UTC.
    pub time_zone: Option<String>,
    /// Fill next week on their own, once a week.
    #[serde(default)]
    pub autofill: bool,
}

/// An account's profile: goals, audience, topics, current projects, posts per week, tone, time
/// zone and weekly autofill; the defaults (`updatedAt: null`) until saved. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/profile", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn get_profile(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Value>> {
    to_json(state.services.account_profile(&ws.access, account_id(&ids.1)?).await?)
}

/// Replace an account's profile. Needs post:update (whoever writes the account's posts plans them).
#[utoipa::path(put, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/profile", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)), request_body = ProfileBody,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn put_profile(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<ProfileBody>,
) -> ApiResult<Json<Value>> {
    let input = ProfileInput {
        goals: body.goals,
        audience: body.audience,
        topics: body.topics,
        current_projects: body.current_projects,
        posts_per_week: body.posts_per_week,
        tone: body.tone,
        time_zone: body.time_zone,
        autofill: body.autofill,
    };
    to_json(state.services.set_account_profile(&ws.access, account_id(&ids.1)?, input, &meta).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunBody {
    /// 1–10 connected accounts of the workspace.
    pub account_ids: Vec<String>,
    /// The first day of the week to fill, `YYYY-MM-DD` in `timeZone`; default: next Monday.
    pub week_start: Option<String>,
    /// IANA zone the week is planned in.
    pub time_zone: String,
}

/// Fill a week for these accounts: research → strategy → content → review → schedule, every
/// step recorded; the drafts await approval at their proposed times, each with its reasoning.
/// Runs to the end before answering. Needs post:create.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/agents/runs", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = RunBody,
    responses((status = 201, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn start_run(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<RunBody>) -> ApiResult<impl IntoResponse> {
    let mut account_ids = Vec::with_capacity(body.account_ids.len());
    for (i, raw) in body.account_ids.iter().enumerate() {
        account_ids.push(raw.parse().map_err(|_| ApiError::validation(&format!("accountIds[{i}]"), "is not an account id"))?);
    }
    let input = RunInput { account_ids, week_start: body.week_start, time_zone: body.time_zone };
    let run = state.services.start_agent_run(&ws.access, input, &meta).await?;
    Ok((StatusCode::CREATED, to_json(run)?))
}

/// The latest runs, newest first, without their steps. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/agents/runs", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = Vec<Object>), (status = 404, body = ErrorEnvelope)))]
async fn list_runs(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<Value>> {
    to_json(state.services.agent_runs(&ws.access).await?)
}

/// One run with every step: agent, input, output, provider and model (or "local"), tokens,
/// cost and duration. Needs post:read.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/agents/runs/{runId}", tag = "agents", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("runId" = String, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
async fn get_run(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Value>> {
    to_json(state.services.agent_run(&ws.access, &ids.1).await?)
}
