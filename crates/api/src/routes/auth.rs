//! `/api/v1/auth`: sign-up, verification, login, token refresh, logout, password reset.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::accounts::{LoginInput, RegisterInput, ResetPasswordInput};

use crate::{
    dto::Session,
    error::{ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, SignedInUser},
    state::AppState,
};

/// Routes that take credentials or codes: they get the stricter per-IP rate limit.
pub fn credential_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(login))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
}

pub fn session_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(refresh)).routes(routes!(logout))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub name: String,
    /// Name of the first workspace; defaults to "<name>'s workspace".
    pub workspace_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    pub user_id: String,
    pub email: String,
    pub workspace_id: String,
    /// Always true: a 6-digit code was mailed; confirm it at /auth/verify-email.
    pub verification_required: bool,
}

/// Create an account and its first workspace; mails a verification code.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = Registered), (status = 409, description = "CONFLICT: e-mail taken", body = ErrorEnvelope),
              (status = 422, description = "VALIDATION_ERROR", body = ErrorEnvelope)))]
async fn register(State(state): State<AppState>, Meta(meta): Meta, ApiJson(body): ApiJson<RegisterRequest>) -> ApiResult<impl IntoResponse> {
    let input = RegisterInput { email: body.email, password: body.password, name: body.name, workspace_name: body.workspace_name };
    let done = state.services.register(input, &meta).await?;
    let body = Registered { user_id: done.user_id.to_string(), email: done.email, workspace_id: done.workspace_id.to_string(), verification_required: true };
    Ok((StatusCode::CREATED, axum::Json(body)))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyEmailRequest {
    pub email: String,
    /// The 6-digit code from the mail (valid 10 minutes, 5 tries).
    pub code: String,
}

/// Confirm the e-mail address with the mailed code; signs the user in.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses((status = 200, body = Session), (status = 422, description = "CODE_INVALID, CODE_EXPIRED or VALIDATION_ERROR", body = ErrorEnvelope)))]
async fn verify_email(State(state): State<AppState>, Meta(meta): Meta, ApiJson(body): ApiJson<VerifyEmailRequest>) -> ApiResult<axum::Json<Session>> {
    Ok(axum::Json(state.services.verify_email(&body.email, &body.code, &meta).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailRequest {
    pub email: String,
}

/// Mail a new verification code (answers 202 whether or not the address has an account).
#[utoipa::path(post, path = "/api/v1/auth/resend-verification", tag = "auth", request_body = EmailRequest, responses((status = 202)))]
async fn resend_verification(State(state): State<AppState>, ApiJson(body): ApiJson<EmailRequest>) -> ApiResult<StatusCode> {
    state.services.resend_verification(&body.email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Current code from the authenticator app, when two-factor is on.
    pub totp_code: Option<String>,
    /// Or one of the single-use recovery codes.
    pub recovery_code: Option<String>,
}

/// Sign in with e-mail and password (plus a second factor when enabled).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Session),
              (status = 401, description = "INVALID_CREDENTIALS or TWO_FACTOR_REQUIRED", body = ErrorEnvelope),
              (status = 403, description = "EMAIL_NOT_VERIFIED", body = ErrorEnvelope),
              (status = 423, description = "ACCOUNT_LOCKED (Retry-After)", body = ErrorEnvelope),
              (status = 429, description = "RATE_LIMIT_EXCEEDED (Retry-After)", body = ErrorEnvelope)))]
async fn login(State(state): State<AppState>, Meta(meta): Meta, ApiJson(body): ApiJson<LoginRequest>) -> ApiResult<axum::Json<Session>> {
    let input = LoginInput { email: body.email, password: body.password, totp_code: body.totp_code, recovery_code: body.recovery_code };
    Ok(axum::Json(state.services.login(input, &meta).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a spent
/// one revokes its whole session.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = 401, description = "INVALID_TOKEN or TOKEN_EXPIRED", body = ErrorEnvelope)))]
async fn refresh(State(state): State<AppState>, Meta(meta): Meta, ApiJson(body): ApiJson<RefreshRequest>) -> ApiResult<axum::Json<Session>> {
    Ok(axum::Json(state.services.refresh(&body.refresh_token, &meta).await?.into()))
}

/// End the current session; its tokens stop working at once.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses((status = 204), (status = 401, body = ErrorEnvelope)))]
async fn logout(State(state): State<AppState>, Meta(meta): Meta, user: SignedInUser) -> ApiResult<StatusCode> {
    state.services.logout(user.user_id, user.session_id, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mail a password-reset code (answers 202 whether or not the address has an account).
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth", request_body = EmailRequest, responses((status = 202)))]
async fn forgot_password(State(state): State<AppState>, ApiJson(body): ApiJson<EmailRequest>) -> ApiResult<StatusCode> {
    state.services.forgot_password(&body.email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResetPasswordRequest {
    pub email: String,
    pub code: String,
    pub new_password: String,
}

/// Set a new password with the mailed code; signs out every session.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 204), (status = 422, description = "CODE_INVALID, CODE_EXPIRED or VALIDATION_ERROR", body = ErrorEnvelope)))]
async fn reset_password(State(state): State<AppState>, Meta(meta): Meta, ApiJson(body): ApiJson<ResetPasswordRequest>) -> ApiResult<StatusCode> {
    let input = ResetPasswordInput { email: body.email, code: body.code, new_password: body.new_password };
    state.services.reset_password(input, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
