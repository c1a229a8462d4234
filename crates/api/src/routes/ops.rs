//! Operational endpoints: liveness, readiness (checks the database), Prometheus metrics.

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{middleware::metrics, state::AppState};

pub fn documented_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(ready))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// "ok", or for readiness "ready" / "not_ready".
    pub status: &'static str,
    pub version: &'static str,
    /// Readiness only: "ok" or why the database check failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/health", tag = "ops", responses((status = 200, body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION"), database: None })
}

/// Readiness: the server has started and its database answers.
#[utoipa::path(get, path = "/ready", tag = "ops", responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let database = match state.services.db.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unavailable");
            "unavailable".to_owned()
        }
    };
    let ready = state.is_ready() && database == "ok";
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(Health { status: if ready { "ready" } else { "not_ready" }, version: env!("CARGO_PKG_VERSION"), database: Some(database) }))
}

/// Prometheus text exposition.
pub async fn prometheus() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], metrics::handle().render())
}
