//! `/api/v1/workspaces/{workspaceId}/audit-log` (JSON pages and CSV export), owners and admins.

use axum::{
    Json,
    extract::{Query, State},
    http::header,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::Timestamp;
use zenalto_store::repo::audit::{AuditFilter, AuditRow};

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{PageQuery, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit)).routes(routes!(export_audit))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: String,
    /// user, api_key or system.
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    /// e.g. member.role_change, api_key.create, auth.login.
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub changes: Option<Value>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub created_at: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        Self {
            id: r.id.to_string(),
            actor_type: r.actor_type,
            actor_id: r.actor_id,
            actor_email: r.actor_email,
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            changes: r.changes.and_then(|c| serde_json::from_str(&c).ok()),
            ip: r.ip,
            user_agent: r.user_agent,
            request_id: r.request_id,
            created_at: r.created_at.to_string(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub resource_type: Option<String>,
    /// RFC 3339, inclusive.
    pub from: Option<String>,
    /// RFC 3339, inclusive.
    pub to: Option<String>,
    #[allow(dead_code)]
    cursor: Option<String>,
    #[allow(dead_code)]
    limit: Option<i64>,
}

impl AuditQuery {
    fn filter(self) -> Result<AuditFilter, ApiError> {
        let instant = |field: &str, raw: Option<String>| -> Result<Option<Timestamp>, ApiError> {
            raw.map(|r| Timestamp::parse_rfc3339(&r).ok_or_else(|| ApiError::validation(field, "must be an RFC 3339 timestamp"))).transpose()
        };
        Ok(AuditFilter {
            from: instant("from", self.from)?,
            to: instant("to", self.to)?,
            action: self.action,
            actor_id: self.actor_id,
            resource_type: self.resource_type,
        })
    }
}

fn query(q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>) -> Result<AuditFilter, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::validation("query", e.body_text()))?;
    q.filter()
}

/// The audit log, newest first, with filters.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/audit-log", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), AuditQuery), responses((status = 200, body = List<AuditEntry>), (status = 403, body = ErrorEnvelope)))]
async fn list_audit(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
    PageQuery(cursor): PageQuery,
) -> ApiResult<Json<List<AuditEntry>>> {
    let filter = query(q)?;
    Ok(Json(List::from_page(state.services.audit_log(&ws.access, &filter, &cursor).await?, AuditEntry::from)))
}

/// The filtered audit log as a CSV file.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/audit-log.csv", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), AuditQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorEnvelope)))]
async fn export_audit(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<impl IntoResponse> {
    let filter = query(q)?;
    let csv = state.services.audit_log_csv(&ws.access, &filter).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\"")],
        csv,
    ))
}
