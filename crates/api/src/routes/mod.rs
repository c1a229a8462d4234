//! The `/api/v1` routers, one module per area, collected into one OpenAPI document.

pub mod accounts;
pub mod agents;
pub mod ai;
pub mod ai_models;
pub mod ai_stream;
pub mod approvals;
pub mod brand_voice;
pub mod ai_templates;
pub mod assistant;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod connections;
pub mod inbox;
pub mod invitations;
pub mod me;
pub mod media;
pub mod media_content;
pub mod media_folders;
pub mod media_uploads;
pub mod events;
pub mod members;
pub mod metrics;
pub mod ops;
pub mod posts;
pub mod post_bulk;
pub mod post_csv;
pub mod post_versions;
pub mod notifications;
pub mod sandbox;
pub mod workspaces;

use axum::middleware::from_fn_with_state;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;

use crate::{
    middleware::rate_limit::{self, RateLimits},
    state::AppState,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Zenalto API", description = "Manage social accounts, posts, teams and AI assistance. All errors use the envelope `{\"error\":{\"code\",\"message\",\"details\",\"timestamp\",\"requestId\"}}`."),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorEnvelope, crate::error::ErrorCode)),
    tags(
        (name = "auth", description = "Sign-up, login, tokens, password reset"),
        (name = "me", description = "The signed-in user's account, sessions and two-factor"),
        (name = "workspaces", description = "Workspaces, members, invitations, API keys and the audit log"),
        (name = "connections", description = "Connecting real network accounts: OAuth 2.0 with PKCE, per-instance apps, page selection, app passwords"),
        (name = "publishing", description = "Connected accounts, posts, validation, scheduling and version history"),
        (name = "insights", description = "Engagement figures the networks report for posts and accounts, and the unified inbox of comments, mentions and direct messages"),
        (name = "media", description = "The media library: uploads (one request or resumable), folders, tags, search, usage, signed URLs and per-network derivatives"),
        (name = "ai", description = "Analysis, hashtags, rewrites and drafts from the built-in local engine"),
        (name = "agents", description = "Account profiles, the approval queue, and the agents that fill a week with drafts for approval"),
        (name = "assistant", description = "Chat with the assistant: conversations, streamed replies, its tools, and confirmation cards"),
        (name = "ops", description = "Health and readiness")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT or zk_ API key").build()),
        );
    }
}

/// Every documented route. Credential endpoints get the stricter per-IP limit.
pub fn api(limits: &RateLimits) -> OpenApiRouter<AppState> {
    let credentials = auth::credential_routes().layer(from_fn_with_state(limits.clone(), rate_limit::credentials));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(credentials)
        .merge(auth::session_routes())
        .merge(me::routes())
        .merge(workspaces::routes())
        .merge(members::routes())
        .merge(invitations::routes())
        .merge(api_keys::routes())
        .merge(audit::routes())
        .merge(accounts::routes())
        .merge(connections::routes())
        .merge(metrics::routes())
        .merge(inbox::routes())
        .merge(posts::routes())
        .merge(ai::routes())
        .merge(ai_models::routes())
        .merge(ai_templates::routes())
        .merge(ai_stream::routes())
        .merge(brand_voice::routes())
        .merge(agents::routes())
        .merge(approvals::routes())
        .merge(assistant::routes())
        .merge(post_versions::routes())
        .merge(notifications::routes())
        .merge(sandbox::routes())
        .merge(events::routes())
        .merge(calendar::routes())
        .merge(post_csv::routes())
        .merge(post_bulk::routes())
        .merge(media::routes())
        .merge(media_uploads::routes())
        .merge(media_content::routes())
        .merge(media_folders::routes())
        .merge(ops::documented_routes())
}
