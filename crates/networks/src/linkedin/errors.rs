//! LinkedIn's own error answers, read before the common status mapping: an expired or revoked
//! token, a missing scope or page role, a duplicate post, a sunset `LinkedIn-Version`, and
//! 429s whose daily quotas reset at midnight UTC.
//! <https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling>,
//! <https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits>

use reqwest::{Response, StatusCode, header::HeaderMap};
use zenalto_domain::{Timestamp, publishing::Network};

use super::wire::Problem;
use crate::{PublishError, http};

pub async fn send_ok(request: reqwest::RequestBuilder) -> Result<Response, PublishError> {
    let response = http::send(Network::LinkedIn, request).await?;
    if response.status().is_success() {
        return Ok(response);
    }
    Err(from_response(response).await)
}

pub async fn from_response(response: Response) -> PublishError {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    classify(status, &headers, &body, Timestamp::now())
}

const DAY_MILLIS: i64 = 86_400_000;

pub fn classify(status: StatusCode, headers: &HeaderMap, body: &str, now: Timestamp) -> PublishError {
    let problem: Problem = serde_json::from_str(body).unwrap_or_default();
    let message = if problem.message.is_empty() { http::short(body) } else { http::short(&problem.message) };
    let lower = message.to_lowercase();
    let inputs = problem.error_details.as_ref().map(|d| d.input_errors.as_slice()).unwrap_or_default();
    if inputs.iter().any(|e| e.code == "DUPLICATE_POST") || lower.contains("content is a duplicate") {
        return PublishError::Permanent { message: format!("LinkedIn refused the post as a duplicate of one already published: change the text to post it again ({message})") };
    }
    if lower.contains("version") && lower.contains("not active") || problem.code.as_deref() == Some("NONEXISTENT_VERSION") {
        return PublishError::Permanent {
            message: format!("LinkedIn no longer serves the API version Zenalto asks for: set networks.linkedin.urls.version to a current YYYYMM ({message})"),
        };
    }
    // 65600–65602: the token is invalid, revoked or expired, whatever the status says.
    let token_gone = matches!(problem.service_error_code, Some(65600..=65602));
    match status {
        _ if token_gone => {
            PublishError::Reconnect { message: format!("LinkedIn no longer accepts this account's access token (expired or revoked): connect it again ({message})") }
        }
        StatusCode::UNAUTHORIZED => {
            PublishError::Reconnect { message: format!("LinkedIn no longer accepts this account's access token (expired or revoked): connect it again ({message})") }
        }
        StatusCode::FORBIDDEN if lower.contains("scope") => PublishError::Reconnect {
            message: format!("the LinkedIn grant lacks a permission this needs (w_member_social, w_organization_social…): connect the account again ({message})"),
        },
        StatusCode::FORBIDDEN => PublishError::Permanent {
            message: format!(
                "LinkedIn refused: the member lacks the page role or the app the product this needs (an organization needs an ADMINISTRATOR or content admin) ({message})"
            ),
        },
        StatusCode::TOO_MANY_REQUESTS => {
            // Quotas are per day and reset at midnight UTC; a message naming the day limit waits
            // for that, anything else for the Retry-After LinkedIn may send or a minute.
            let reset = if lower.contains(" day ") || lower.contains("daily") {
                Some(Timestamp::from_millis((now.as_millis() / DAY_MILLIS + 1) * DAY_MILLIS))
            } else {
                http::rate_limit_reset(headers, now).or(Some(now.plus_seconds(60)))
            };
            PublishError::RateLimited { message: format!("LinkedIn rate limit reached ({message})"), reset_at: reset }
        }
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            let detail = inputs.iter().map(|e| if e.description.is_empty() { e.code.clone() } else { format!("{} ({})", e.description, e.code) }).collect::<Vec<_>>().join("; ");
            let detail = if detail.is_empty() { message } else { format!("{message}: {detail}") };
            PublishError::Permanent { message: format!("LinkedIn refused the request as invalid: {detail}") }
        }
        _ => http::classify(Network::LinkedIn, status, headers, body, now),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_error_bodies_are_read_first() {
        let none = HeaderMap::new();
        let now = Timestamp::from_millis(1_800_000_000_000);
        let duplicate = r#"{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}"#;
        assert!(matches!(classify(StatusCode::UNPROCESSABLE_ENTITY, &none, duplicate, now), PublishError::Permanent { message } if message.contains("duplicate")));
        let version = r#"{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20200101 is not active"}"#;
        assert!(matches!(classify(StatusCode::UPGRADE_REQUIRED, &none, version, now), PublishError::Permanent { message } if message.contains("urls.version")));
        let daily = r#"{"status":429,"message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}"#;
        match classify(StatusCode::TOO_MANY_REQUESTS, &none, daily, now) {
            PublishError::RateLimited { reset_at: Some(at), .. } => assert_eq!(at.as_millis() % DAY_MILLIS, 0, "midnight UTC"),
            other => panic!("{other:?}"),
        }
        let scope =
            r#"{"status":403,"serviceErrorCode":100,"message":"Not enough permissions to access: partnerApiPostsExternal.CREATE.20240101 (missing scope w_member_social)"}"#;
        assert!(matches!(classify(StatusCode::FORBIDDEN, &none, scope, now), PublishError::Reconnect { .. }));
    }
}
