//! The HTTP API: axum routers per area under `/api/v1`, the error envelope, extractors, the
//! OpenAPI document, cross-cutting middleware and the embedded web UI. Handlers are thin: they
//! parse, call a service, and shape the response.

pub mod dto;
pub mod error;
pub mod extract;
pub mod mcp;
pub mod middleware;
pub mod routes;
pub mod state;
mod web;

use std::{sync::Arc, time::Duration};

use axum::{
    Json, Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Method, header},
    middleware::{from_fn, from_fn_with_state},
    response::IntoResponse,
    routing::get,
};
pub use state::AppState;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::{ApiError, ErrorCode};

/// The OpenAPI 3.1 document, generated from the route and schema annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::api(&middleware::rate_limit::RateLimits::new(&Default::default())).split_for_parts().1
}

/// The whole application: API, docs, operational endpoints and web UI, with middleware.
pub fn router(state: AppState) -> Router {
    // Install the metrics recorder before the first request records anything.
    middleware::metrics::handle();
    let settings = state.services.settings.clone();
    let (api, openapi) = routes::api(&state.rate_limits).split_for_parts();
    let openapi_json = serde_json::to_value(&openapi).unwrap_or_default();

    let api = api
        .route("/api/openapi.json", get(move || async move { Json(openapi_json.clone()) }))
        .route("/api/docs", get(web::docs))
        .route("/api/docs/{file}", get(web::docs_asset))
        .route("/metrics", get(routes::ops::prometheus))
        .merge(mcp::router(&state))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(from_fn_with_state(state.rate_limits.clone(), middleware::rate_limit::per_ip))
        .method_not_allowed_fallback(method_not_allowed);

    Router::new()
        .merge(api)
        .fallback(get(web::spa).fallback(method_not_allowed))
        .layer(DefaultBodyLimit::max(settings.server.body_limit_bytes))
        .layer(from_fn_with_state(Duration::from_secs(settings.server.request_timeout_secs), middleware::timeout::layer))
        .layer(from_fn(middleware::metrics::layer))
        .layer(from_fn_with_state(
            middleware::security_headers::Hsts(settings.server.public_url.starts_with("https://")),
            middleware::security_headers::layer,
        ))
        .layer(from_fn_with_state(Arc::<[ipnet::IpNet]>::from(settings.server.trusted_proxies.clone()), extract::client_ip::layer))
        .layer(cors(&settings.server.cors_origins))
        .layer(from_fn(middleware::request_id::layer))
        .with_state(state)
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, HeaderName::from_static(middleware::request_id::HEADER)])
        .expose_headers([HeaderName::from_static(middleware::request_id::HEADER), header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

async fn api_not_found() -> impl IntoResponse {
    ApiError::new(ErrorCode::NotFound, "no such endpoint; see /api/docs")
}

async fn method_not_allowed() -> impl IntoResponse {
    ApiError::new(ErrorCode::MethodNotAllowed, "this endpoint does not accept that method")
}
