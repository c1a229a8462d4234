//! Request facts recorded with sessions and audit rows.

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};
use zenalto_services::RequestMeta;

use super::ClientIp;
use crate::{error::ApiError, middleware::request_id, state::AppState};

pub struct Meta(pub RequestMeta);

impl<S> FromRequestParts<S> for Meta
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await?;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(300).collect::<String>());
        Ok(Meta(RequestMeta { ip: Some(ip.to_string()), user_agent, request_id: request_id::current() }))
    }
}
