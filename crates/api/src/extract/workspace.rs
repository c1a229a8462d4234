//! `WorkspaceAccess`: the caller's rights in the workspace named by the `{workspaceId}` path
//! segment. A malformed id, an unknown id and another tenant's id all answer 404 alike.

use std::collections::HashMap;

use axum::{
    extract::{FromRef, FromRequestParts, Path},
    http::request::Parts,
};
use zenalto_domain::WorkspaceId;
use zenalto_services::{Access, Principal};

use super::Caller;
use crate::{error::ApiError, state::AppState};

pub struct WorkspaceAccess {
    pub access: Access,
    pub principal: Principal,
}

impl<S> FromRequestParts<S> for WorkspaceAccess
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Caller(principal) = Caller::from_request_parts(parts, state).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(|_| ApiError::not_found())?;
        let workspace: WorkspaceId = params.get("workspaceId").and_then(|id| id.parse().ok()).ok_or_else(ApiError::not_found)?;
        let access = AppState::from_ref(state).services.access(&principal, workspace).await?;
        Ok(WorkspaceAccess { access, principal })
    }
}
