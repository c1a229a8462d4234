//! Rate limits (GCRA via governor), in memory per process: per client IP on every API route,
//! stricter per IP on credential endpoints, and per authenticated caller (checked where the
//! caller is known, in the auth extractor). Answers carry `Retry-After`.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tokio_util::sync::CancellationToken;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use zenalto_settings::RateLimitSettings;

use crate::{
    error::{ApiError, ErrorCode},
    extract::client_ip::ClientIp,
};

#[derive(Clone)]
pub struct RateLimits {
    enabled: bool,
    per_ip: Arc<DefaultKeyedRateLimiter<String>>,
    auth_per_ip: Arc<DefaultKeyedRateLimiter<String>>,
    per_caller: Arc<DefaultKeyedRateLimiter<String>>,
}

fn per_minute(n: u32) -> Quota {
    let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n)
}

impl RateLimits {
    pub fn new(settings: &RateLimitSettings) -> Self {
        Self {
            enabled: settings.enabled,
            per_ip: Arc::new(RateLimiter::keyed(per_minute(settings.per_ip_per_minute))),
            auth_per_ip: Arc::new(RateLimiter::keyed(per_minute(settings.auth_per_ip_per_minute))),
            per_caller: Arc::new(RateLimiter::keyed(per_minute(settings.per_user_per_minute))),
        }
    }

    fn check(&self, limiter: &DefaultKeyedRateLimiter<String>, key: String) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            let mut err = ApiError::new(ErrorCode::RateLimitExceeded, "too many requests; slow down and retry after the indicated time")
                .with_details(serde_json::json!({ "retryAfterSecs": wait.as_secs().max(1) }));
            err.retry_after = Some(wait.as_secs().max(1));
            err
        })
    }

    pub fn check_caller(&self, key: String) -> Result<(), ApiError> {
        self.check(&self.per_caller, key)
    }

    /// Drops idle keys so memory stays bounded; run periodically.
    pub fn shrink(&self) {
        for limiter in [&self.per_ip, &self.auth_per_ip, &self.per_caller] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    pub fn spawn_housekeeping(&self, shutdown: CancellationToken) {
        let limits = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = tick.tick() => limits.shrink(),
                    _ = shutdown.cancelled() => break,
                }
            }
        });
    }
}

/// Every API request, per client IP.
pub async fn per_ip(State(limits): State<RateLimits>, ClientIp(ip): ClientIp, request: Request, next: Next) -> Response {
    match limits.check(&limits.per_ip, ip.to_string()) {
        Ok(()) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}

/// Credential endpoints (login, codes, password reset), per client IP.
pub async fn credentials(State(limits): State<RateLimits>, ClientIp(ip): ClientIp, request: Request, next: Next) -> Response {
    match limits.check(&limits.auth_per_ip, ip.to_string()) {
        Ok(()) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}
