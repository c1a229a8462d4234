//! Google's error shape, `{"error":{"code","message","errors":[{"reason"}]}}`, mapped to what the
//! queue does. The reasons are the Data API's documented ones
//! (<https://developers.google.com/youtube/v3/docs/errors>); anything else falls back to the
//! shared status mapping.

use reqwest::{Response, StatusCode, header::HeaderMap};
use serde::Deserialize;
use zenalto_domain::{Timestamp, publishing::Network};

use super::quota::next_pacific_midnight;
use crate::{PublishError, http};

#[derive(Deserialize)]
struct Envelope {
    error: GoogleError,
}

#[derive(Deserialize)]
struct GoogleError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<Reason>,
}

#[derive(Deserialize)]
struct Reason {
    #[serde(default)]
    reason: String,
}

pub(super) async fn from_response(response: Response) -> PublishError {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    classify(status, &headers, &body, Timestamp::now())
}

pub(super) fn classify(status: StatusCode, headers: &HeaderMap, body: &str, now: Timestamp) -> PublishError {
    let Ok(Envelope { error }) = serde_json::from_str::<Envelope>(body) else { return http::classify(Network::YouTube, status, headers, body, now) };
    let reason = error.errors.first().map(|r| r.reason.as_str()).unwrap_or("");
    let detail = if error.message.is_empty() { reason.to_owned() } else { error.message.clone() };
    match reason {
        // The quota belongs to Zenalto's Google Cloud project: every channel waits.
        "quotaExceeded" | "dailyLimitExceeded" => PublishError::AppRateLimited {
            message: format!("YouTube's daily API quota for Zenalto is used up; it resets at midnight Pacific time ({detail})"),
            reset_at: Some(next_pacific_midnight(now)),
        },
        "rateLimitExceeded" | "userRateLimitExceeded" => PublishError::RateLimited {
            message: format!("YouTube is throttling requests ({detail})"),
            reset_at: http::rate_limit_reset(headers, now).or(Some(now.plus_seconds(60))),
        },
        "uploadLimitExceeded" => PublishError::RateLimited {
            message: format!("the channel reached YouTube's limit of uploads through the API for now; try again in a day ({detail})"),
            reset_at: Some(now.plus_seconds(24 * 3600)),
        },
        "authError" | "invalidCredentials" | "expiredToken" => {
            PublishError::Reconnect { message: format!("YouTube no longer accepts this channel's access: connect it again ({detail})") }
        }
        "insufficientPermissions" | "ACCESS_TOKEN_SCOPE_INSUFFICIENT" => PublishError::Reconnect {
            message: format!(
                "YouTube needs a permission this connection lacks (the youtube.upload and youtube.force-ssl scopes): connect the channel again and grant them ({detail})"
            ),
        },
        "youtubeSignupRequired" => PublishError::Permanent { message: "this Google account has no YouTube channel: create one on YouTube first".into() },
        "commentsDisabled" => PublishError::Permanent { message: format!("comments are turned off for this video ({detail})") },
        "videoNotFound" | "commentNotFound" | "channelNotFound" | "playlistNotFound" => {
            PublishError::Permanent { message: format!("YouTube does not know this video or comment (deleted or private?) ({detail})") }
        }
        "invalidTitle" | "invalidDescription" | "invalidTags" | "invalidCategoryId" | "invalidVideoMetadata" | "mediaBodyRequired" | "invalidFilename" => {
            PublishError::Permanent { message: format!("YouTube refused the video's details: {detail}") }
        }
        "forbidden" | "accountSuspended" | "videoUploadNotAllowed" => {
            PublishError::Permanent { message: format!("YouTube refused: the channel may not do this ({detail})") }
        }
        "backendError" | "internalError" => PublishError::Transient { message: format!("YouTube had a server error ({detail})"), retry_after_secs: None },
        _ if status == StatusCode::UNAUTHORIZED => {
            PublishError::Reconnect { message: format!("YouTube no longer accepts this channel's access: connect it again ({detail})") }
        }
        _ => http::classify(Network::YouTube, status, headers, &detail, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: u16, reason: &str) -> String {
        format!(r#"{{"error":{{"code":{code},"message":"m","errors":[{{"domain":"youtube","reason":"{reason}"}}]}}}}"#)
    }

    #[test]
    fn reasons_map_to_what_the_queue_does() {
        let now = Timestamp::parse_rfc3339("2026-12-01T02:15:00Z").unwrap_or_else(|| Timestamp::from_millis(0));
        let none = HeaderMap::new();
        match classify(StatusCode::FORBIDDEN, &none, &body(403, "quotaExceeded"), now) {
            PublishError::AppRateLimited { reset_at, .. } => assert_eq!(reset_at, Timestamp::parse_rfc3339("2026-12-01T08:00:00Z")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(classify(StatusCode::UNAUTHORIZED, &none, &body(401, "authError"), now), PublishError::Reconnect { .. }));
        match classify(StatusCode::FORBIDDEN, &none, &body(403, "insufficientPermissions"), now) {
            PublishError::Reconnect { message } => assert!(message.contains("youtube.force-ssl"), "{message}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(classify(StatusCode::BAD_REQUEST, &none, &body(400, "invalidTitle"), now), PublishError::Permanent { .. }));
        assert!(matches!(classify(StatusCode::SERVICE_UNAVAILABLE, &none, &body(503, "backendError"), now), PublishError::Transient { .. }));
        assert!(matches!(classify(StatusCode::BAD_GATEWAY, &none, "<html>", now), PublishError::Transient { .. }));
    }
}
