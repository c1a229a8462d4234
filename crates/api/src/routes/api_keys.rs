//! `/api/v1/workspaces/{workspaceId}/api-keys`: personal and workspace API keys.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{ApiKeyId, Role, Timestamp};
use zenalto_services::workspaces::NewApiKeyInput;
use zenalto_store::repo::api_keys::ApiKeyRow;

use crate::{
    dto::instant,
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, PageQuery, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_keys, create_key)).routes(routes!(revoke_key))
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    /// Acts as you (never beyond your current role), limited by its scopes.
    #[default]
    Personal,
    /// Belongs to the workspace with a role of its own (settings:update to manage).
    Workspace,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    /// The start of the key, to recognise it.
    pub prefix: String,
    pub kind: KeyKind,
    pub role: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(k: ApiKeyRow) -> Self {
        Self {
            id: k.id.to_string(),
            name: k.name,
            prefix: k.prefix,
            kind: if k.owner_user_id.is_some() { KeyKind::Personal } else { KeyKind::Workspace },
            role: k.role.to_string(),
            scopes: k.scopes.iter().map(|s| s.to_string()).collect(),
            created_at: k.created_at.to_string(),
            expires_at: instant(k.expires_at),
            last_used_at: instant(k.last_used_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    pub key: ApiKey,
    /// The secret, shown only in this response. Send it as `Authorization: Bearer <secret>`.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateKeyRequest {
    pub name: String,
    #[serde(default)]
    pub kind: KeyKind,
    /// Permission names, e.g. ["post:read", "post:create"]; only ones you have.
    pub scopes: Vec<String>,
    /// Workspace keys only.
    #[schema(value_type = Option<String>)]
    pub role: Option<Role>,
    /// RFC 3339; omit for a key that does not expire.
    pub expires_at: Option<String>,
}

/// Create an API key; the secret is in the response only.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/api-keys", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = CreateKeyRequest,
    responses((status = 201, body = CreatedKey), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_key(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<CreateKeyRequest>) -> ApiResult<impl IntoResponse> {
    let expires_at = match body.expires_at.as_deref() {
        None => None,
        Some(raw) => Some(Timestamp::parse_rfc3339(raw).ok_or_else(|| ApiError::validation("expiresAt", "must be an RFC 3339 timestamp"))?),
    };
    let input = NewApiKeyInput { name: body.name, scopes: body.scopes, role: body.role, expires_at };
    let created = state.services.create_api_key(&ws.access, body.kind == KeyKind::Personal, input, &meta).await?;
    Ok((StatusCode::CREATED, Json(CreatedKey { key: created.key.into(), secret: created.secret })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KindQuery {
    /// personal (default): your own keys; workspace: the workspace's keys.
    pub kind: Option<KeyKind>,
    #[allow(dead_code)]
    cursor: Option<String>,
    #[allow(dead_code)]
    limit: Option<i64>,
}

/// Active API keys: your personal keys, or the workspace's keys.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/api-keys", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), KindQuery), responses((status = 200, body = List<ApiKey>), (status = 403, body = ErrorEnvelope)))]
async fn list_keys(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    q: Result<Query<KindQuery>, axum::extract::rejection::QueryRejection>,
    PageQuery(cursor): PageQuery,
) -> ApiResult<Json<List<ApiKey>>> {
    let Query(q) = q.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let personal = q.kind.unwrap_or_default() == KeyKind::Personal;
    Ok(Json(List::from_page(state.services.list_api_keys(&ws.access, personal, &cursor).await?, ApiKey::from)))
}

/// Revoke a key at once.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/api-keys/{keyId}", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("keyId" = String, Path)), responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn revoke_key(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    let id: ApiKeyId = ids.1.parse().map_err(|_| ApiError::not_found())?;
    state.services.revoke_api_key(&ws.access, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
