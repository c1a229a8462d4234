//! Invitations: `/api/v1/workspaces/{workspaceId}/invitations` and `/api/v1/invitations/accept`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{InvitationId, Role};
use zenalto_services::workspaces::InvitationRow;

use crate::{
    dto::Workspace,
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, PageQuery, SignedInUser, WorkspaceAccess, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_invitations, create_invitation))
        .routes(routes!(revoke_invitation))
        .routes(routes!(accept_invitation))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires_at: String,
    pub created_at: String,
}

impl From<InvitationRow> for Invitation {
    fn from(i: InvitationRow) -> Self {
        Self { id: i.id.to_string(), email: i.email, role: i.role.to_string(), expires_at: i.expires_at.to_string(), created_at: i.created_at.to_string() }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InviteRequest {
    pub email: String,
    #[schema(value_type = String)]
    pub role: Role,
}

/// Invite someone by e-mail (team:invite; never above your own role). The link is mailed.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/invitations", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = InviteRequest,
    responses((status = 201, body = Invitation), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn create_invitation(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<InviteRequest>) -> ApiResult<impl IntoResponse> {
    let invitation = state.services.invite(&ws.access, &body.email, body.role, &meta).await?;
    Ok((StatusCode::CREATED, Json(Invitation::from(invitation))))
}

/// Open invitations.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/invitations", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), crate::extract::pagination::PageParams), responses((status = 200, body = List<Invitation>)))]
async fn list_invitations(State(state): State<AppState>, ws: WorkspaceAccess, PageQuery(cursor): PageQuery) -> ApiResult<Json<List<Invitation>>> {
    Ok(Json(List::from_page(state.services.list_invitations(&ws.access, &cursor).await?, Invitation::from)))
}

/// Withdraw an open invitation.
#[utoipa::path(delete, path = "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}", tag = "workspaces", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("invitationId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn revoke_invitation(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<StatusCode> {
    let id: InvitationId = ids.1.parse().map_err(|_| ApiError::not_found())?;
    state.services.revoke_invitation(&ws.access, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceptRequest {
    /// The token from the invitation link.
    pub token: String,
}

/// Join a workspace with an invitation token (sign in as the invited address first).
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "workspaces", security(("bearer" = [])), request_body = AcceptRequest,
    responses((status = 200, body = Workspace), (status = 404, description = "unknown token", body = ErrorEnvelope),
              (status = 422, description = "used, withdrawn or expired invitation", body = ErrorEnvelope),
              (status = 403, description = "invited address differs", body = ErrorEnvelope)))]
async fn accept_invitation(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<AcceptRequest>) -> ApiResult<Json<Workspace>> {
    let (workspace, _) = state.services.accept_invitation(&user.principal, &body.token, &meta).await?;
    Ok(Json(workspace.into()))
}
