//! Requests that run longer than `server.request_timeout_secs` are answered with the envelope
//! (503 REQUEST_TIMEOUT) instead of holding the connection open.

use std::time::Duration;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::error::{ApiError, ErrorCode};

pub async fn layer(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(ErrorCode::RequestTimeout, "the request took too long; try again").into_response(),
    }
}
