//! Pinterest's error body, `{"code": <int>, "message": "…"}`, mapped by status first (Pinterest's
//! numeric codes are not documented as stable), with the message kept for the person; a 429
//! waits for `x-ratelimit-reset` (seconds from now).
//! <https://developers.pinterest.com/docs/reference/v5/>

use reqwest::{Response, StatusCode, header::HeaderMap};
use serde::Deserialize;
use zenalto_domain::{Timestamp, publishing::Network};

use super::SCOPES;
use crate::{PublishError, http};

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    message: Option<String>,
    /// Token endpoint errors may come in RFC 6749's shape instead.
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

pub(super) async fn from_response(response: Response) -> PublishError {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    classify(status, &headers, &body, Timestamp::now())
}

pub(super) fn message(body: &str) -> String {
    serde_json::from_str::<Body>(body).ok().and_then(|b| b.message.or(b.error_description).or(b.error)).unwrap_or_else(|| http::short(body))
}

pub(super) fn classify(status: StatusCode, headers: &HeaderMap, body: &str, now: Timestamp) -> PublishError {
    let detail = message(body);
    let about_scope = detail.to_ascii_lowercase().contains("scope");
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN if about_scope => PublishError::Reconnect {
            message: format!("Pinterest needs a permission this connection lacks ({}): connect the account again and allow it ({detail})", SCOPES.join(", ")),
        },
        StatusCode::UNAUTHORIZED => {
            PublishError::Reconnect { message: format!("Pinterest no longer accepts this account's access: connect it again ({detail})") }
        }
        StatusCode::FORBIDDEN => PublishError::Permanent { message: format!("Pinterest refused: the account may not do this ({detail})") },
        StatusCode::NOT_FOUND => {
            PublishError::Permanent { message: format!("Pinterest does not know this board or Pin (deleted, or another account's?) ({detail})") }
        }
        StatusCode::TOO_MANY_REQUESTS => PublishError::RateLimited {
            message: format!("Pinterest rate limit reached ({detail})"),
            reset_at: http::rate_limit_reset(headers, now).or(Some(now.plus_seconds(60))),
        },
        s if s.is_client_error() => PublishError::Permanent { message: format!("Pinterest refused the Pin: {detail}") },
        _ => http::classify(Network::Pinterest, status, headers, &detail, now),
    }
}
