//! `/api/v1/me`: the signed-in person's profile, sessions, password and two-factor. API keys
//! are refused here: these endpoints are for people.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::SessionId;
use zenalto_services::accounts::ChangePasswordInput;

use super::audit::AuditEntry;
use crate::{
    dto::{User, Workspace},
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, PageQuery, SignedInUser, pagination::List},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me))
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(request_password_code))
        .routes(routes!(change_password))
        .routes(routes!(setup_two_factor))
        .routes(routes!(enable_two_factor))
        .routes(routes!(disable_two_factor))
        .routes(routes!(regenerate_recovery_codes))
        .routes(routes!(activity))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user: User,
    pub workspaces: Vec<Workspace>,
}

/// The signed-in user and the workspaces they belong to.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = ErrorEnvelope)))]
async fn get_me(State(state): State<AppState>, user: SignedInUser) -> ApiResult<Json<Me>> {
    let (row, spaces) = state.services.me(user.user_id).await?;
    Ok(Json(Me { user: row.into(), workspaces: spaces.into_iter().map(Into::into).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateMeRequest {
    pub name: String,
}

/// Change the display name.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = User), (status = 422, body = ErrorEnvelope)))]
async fn update_me(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<UpdateMeRequest>) -> ApiResult<Json<User>> {
    Ok(Json(state.services.rename_user(user.user_id, &body.name, &meta).await?.into()))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub id: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: String,
    pub last_used_at: String,
    /// The session this request was made with.
    pub current: bool,
}

/// Active sessions, newest first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "me", security(("bearer" = [])), params(crate::extract::pagination::PageParams),
    responses((status = 200, body = List<SessionInfo>)))]
async fn list_sessions(State(state): State<AppState>, user: SignedInUser, PageQuery(cursor): PageQuery) -> ApiResult<Json<List<SessionInfo>>> {
    let page = state.services.list_sessions(user.user_id, &cursor).await?;
    Ok(Json(List::from_page(page, |s| SessionInfo {
        id: s.id.to_string(),
        current: s.id == user.session_id,
        user_agent: s.user_agent,
        ip: s.ip,
        created_at: s.created_at.to_string(),
        last_used_at: s.last_used_at.to_string(),
    })))
}

/// Sign out one of your sessions (another device, say).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{sessionId}", tag = "me", security(("bearer" = [])),
    params(("sessionId" = String, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope)))]
async fn revoke_session(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id: SessionId = id.parse().map_err(|_| ApiError::not_found())?;
    state.services.revoke_own_session(user.user_id, id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mail a code that confirms a password change.
#[utoipa::path(post, path = "/api/v1/me/password/code", tag = "me", security(("bearer" = [])), responses((status = 202)))]
async fn request_password_code(State(state): State<AppState>, user: SignedInUser) -> ApiResult<StatusCode> {
    state.services.request_password_change_code(user.user_id).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub code: String,
    pub new_password: String,
}

/// Change the password (current password + mailed code); signs out your other sessions.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = ErrorEnvelope)))]
async fn change_password(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<ChangePasswordRequest>) -> ApiResult<StatusCode> {
    let input = ChangePasswordInput { current_password: body.current_password, code: body.code, new_password: body.new_password };
    state.services.change_password(user.user_id, user.session_id, input, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TotpSetup {
    /// Base32 seed, for typing into an authenticator app.
    pub secret: String,
    /// otpauth:// URL, for a QR code.
    pub otpauth_url: String,
}

/// Start two-factor enrolment: returns a new seed to add to an authenticator app.
#[utoipa::path(post, path = "/api/v1/me/2fa/setup", tag = "me", security(("bearer" = [])), responses((status = 200, body = TotpSetup), (status = 409, body = ErrorEnvelope)))]
async fn setup_two_factor(State(state): State<AppState>, user: SignedInUser) -> ApiResult<Json<TotpSetup>> {
    let setup = state.services.setup_totp(user.user_id).await?;
    Ok(Json(TotpSetup { secret: setup.secret, otpauth_url: setup.otpauth_url }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeRequest {
    pub code: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodes {
    /// Single-use codes for when the authenticator is lost. Shown only now.
    pub recovery_codes: Vec<String>,
}

/// Finish enrolment with a current code; returns recovery codes.
#[utoipa::path(post, path = "/api/v1/me/2fa/enable", tag = "me", security(("bearer" = [])), request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 422, body = ErrorEnvelope)))]
async fn enable_two_factor(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<CodeRequest>) -> ApiResult<Json<RecoveryCodes>> {
    let recovery_codes = state.services.enable_totp(user.user_id, &body.code, &meta).await?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisableTwoFactorRequest {
    pub password: String,
    /// A current authenticator code or an unused recovery code.
    pub code: String,
}

/// Turn two-factor off.
#[utoipa::path(post, path = "/api/v1/me/2fa/disable", tag = "me", security(("bearer" = [])), request_body = DisableTwoFactorRequest,
    responses((status = 204), (status = 422, body = ErrorEnvelope)))]
async fn disable_two_factor(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<DisableTwoFactorRequest>) -> ApiResult<StatusCode> {
    state.services.disable_totp(user.user_id, body.password, &body.code, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace the recovery codes (needs a current authenticator code).
#[utoipa::path(post, path = "/api/v1/me/2fa/recovery-codes", tag = "me", security(("bearer" = [])), request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 422, body = ErrorEnvelope)))]
async fn regenerate_recovery_codes(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser, ApiJson(body): ApiJson<CodeRequest>) -> ApiResult<Json<RecoveryCodes>> {
    let recovery_codes = state.services.regenerate_recovery_codes(user.user_id, &body.code, &meta).await?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}

/// Your account's security events (logins, password changes, two-factor), newest first.
#[utoipa::path(get, path = "/api/v1/me/activity", tag = "me", security(("bearer" = [])), params(crate::extract::pagination::PageParams),
    responses((status = 200, body = List<AuditEntry>)))]
async fn activity(State(state): State<AppState>, user: SignedInUser, PageQuery(cursor): PageQuery) -> ApiResult<Json<List<AuditEntry>>> {
    let page = state.services.account_activity(user.user_id, &cursor).await?;
    Ok(Json(List::from_page(page, AuditEntry::from)))
}
