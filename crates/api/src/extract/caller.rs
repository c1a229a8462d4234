//! The authenticated caller, from `Authorization: Bearer <access token or API key>`. The
//! per-caller rate limit is applied here, where the caller is first known.

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};
use zenalto_domain::{SessionId, UserId};
use zenalto_services::Principal;

use crate::{
    error::{ApiError, ErrorCode},
    state::AppState,
};

/// Any authenticated caller: a signed-in person or an API key.
pub struct Caller(pub Principal);

/// A signed-in person (account endpoints refuse API keys).
pub struct SignedInUser {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub principal: Principal,
}

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "sign in first: send Authorization: Bearer <token>"))?;
        let principal = state.services.authenticate(bearer).await?;
        state.rate_limits.check_caller(principal.rate_key())?;
        Ok(Caller(principal))
    }
}

impl<S> FromRequestParts<S> for SignedInUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Caller(principal) = Caller::from_request_parts(parts, state).await?;
        let (user_id, session_id) = principal.user()?;
        Ok(SignedInUser { user_id, session_id, principal })
    }
}
