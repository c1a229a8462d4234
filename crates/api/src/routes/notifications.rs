//! In-app notifications of the signed-in member: `/api/v1/workspaces/{workspaceId}/notifications`.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_store::repo::notifications::NotificationRow;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{PageQuery, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_notifications)).routes(routes!(mark_read))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: String,
    /// post.published, post.partially_published, post.failed
    pub kind: String,
    pub title: String,
    pub body: String,
    pub post_id: Option<String>,
    pub read: bool,
    pub created_at: String,
}

impl From<NotificationRow> for Notification {
    fn from(n: NotificationRow) -> Self {
        Self { id: n.id.to_string(), kind: n.kind, title: n.title, body: n.body, post_id: n.post_id, read: n.read_at.is_some(), created_at: n.created_at.to_string() }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct UnreadQuery {
    #[serde(default)]
    pub unread: bool,
}

/// Your notifications in this workspace, newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/notifications", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), UnreadQuery, crate::extract::pagination::PageParams), responses((status = 200, body = List<Notification>)))]
async fn list_notifications(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    q: Result<Query<UnreadQuery>, axum::extract::rejection::QueryRejection>,
    PageQuery(cursor): PageQuery,
) -> ApiResult<Json<List<Notification>>> {
    let Query(q) = q.map_err(|e| ApiError::validation("unread", e.body_text()))?;
    Ok(Json(List::from_page(state.services.list_notifications(&ws.access, q.unread, &cursor).await?, Notification::from)))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/notifications/{notificationId}/read", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("notificationId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn mark_read(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    let id = ids.1.parse().map_err(|_| ApiError::not_found())?;
    state.services.mark_notification_read(&ws.access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
