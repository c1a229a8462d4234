//! The sandbox network's feed: what the built-in sandbox "published" for this workspace.
//! Labelled as a sandbox in every response; nothing here reached a real network.

use axum::{
    Json,
    extract::State,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_store::repo::sandbox::SandboxPostRow;

use crate::{error::ApiResult, extract::WorkspaceAccess, state::AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(feed))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxFeed {
    /// Always "sandbox": these posts never left Zenalto.
    pub network: &'static str,
    pub notice: &'static str,
    pub posts: Vec<SandboxPost>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxPost {
    pub id: String,
    pub account_id: String,
    pub text: String,
    pub media_ids: Vec<String>,
    pub reply_to: Option<String>,
    pub created_at: String,
}

impl From<SandboxPostRow> for SandboxPost {
    fn from(r: SandboxPostRow) -> Self {
        Self {
            id: r.id.to_string(),
            account_id: r.account_id,
            text: r.text,
            media_ids: serde_json::from_str(&r.media).unwrap_or_default(),
            reply_to: r.reply_to,
            created_at: r.created_at.to_string(),
        }
    }
}

/// The newest 200 sandbox posts of this workspace.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/sandbox/feed", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), responses((status = 200, body = SandboxFeed)))]
async fn feed(State(state): State<AppState>, ws: WorkspaceAccess) -> ApiResult<Json<SandboxFeed>> {
    let posts = state.services.sandbox_feed(&ws.access, 200).await?;
    Ok(Json(SandboxFeed {
        network: "sandbox",
        notice: "Sandbox network: these posts were kept inside Zenalto and never published anywhere.",
        posts: posts.into_iter().map(SandboxPost::from).collect(),
    }))
}
