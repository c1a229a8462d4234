//! X's own error answers, read before the common status mapping: duplicate content, a scope the
//! grant lacks, an app without access to the endpoint, a suspended or locked account.

use reqwest::{Response, StatusCode, header::HeaderMap};
use zenalto_domain::{Timestamp, publishing::Network};

use super::wire::Problem;
use crate::{PublishError, http};

/// Sends a call and classifies an error answer the X way.
pub async fn send_ok(request: reqwest::RequestBuilder) -> Result<Response, PublishError> {
    let response = http::send(Network::X, request).await?;
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    Err(classify(status, &headers, &body, Timestamp::now()))
}

pub fn classify(status: StatusCode, headers: &HeaderMap, body: &str, now: Timestamp) -> PublishError {
    let problem: Problem = serde_json::from_str(body).unwrap_or_default();
    let text = problem.text();
    let lower = text.to_lowercase();
    let kind = problem.kind.as_deref().unwrap_or("");
    match status {
        StatusCode::UNAUTHORIZED => {
            PublishError::Reconnect { message: format!("X no longer accepts this account's access token (expired or revoked): connect it again ({})", http::short(&text)) }
        }
        StatusCode::FORBIDDEN if lower.contains("duplicate content") => {
            PublishError::Permanent { message: "X refused the post as a duplicate: this account already posted the same text. Change the text to post it again".into() }
        }
        StatusCode::FORBIDDEN if lower.contains("scope") => PublishError::Reconnect {
            message: format!("the X grant lacks a permission this needs (tweet.write, media.write, dm.write…): connect the account again ({})", http::short(&text)),
        },
        StatusCode::FORBIDDEN if kind.ends_with("/client-forbidden") || lower.contains("client-not-enrolled") => PublishError::Permanent {
            message: format!("X does not let Zenalto's app use this endpoint (the app's project or access tier): check the X developer portal ({})", http::short(&text)),
        },
        StatusCode::FORBIDDEN if lower.contains("suspended") || lower.contains("locked") => {
            PublishError::Permanent { message: format!("X says this account is suspended or locked ({})", http::short(&text)) }
        }
        StatusCode::FORBIDDEN => PublishError::Permanent { message: format!("X refused: {}", http::short(&text)) },
        StatusCode::BAD_REQUEST => PublishError::Permanent { message: format!("X refused the request as invalid: {}", http::short(&text)) },
        _ => http::classify(Network::X, status, headers, body, now),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn x_error_bodies_are_read_first() {
        let none = HeaderMap::new();
        let now = Timestamp::from_millis(0);
        let duplicate = r#"{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}"#;
        assert!(matches!(classify(StatusCode::FORBIDDEN, &none, duplicate, now), PublishError::Permanent { message } if message.contains("duplicate")));
        let scope = r#"{"title":"Forbidden","detail":"Missing required OAuth2 scope: media.write"}"#;
        assert!(matches!(classify(StatusCode::FORBIDDEN, &none, scope, now), PublishError::Reconnect { .. }));
        let client = r#"{"title":"Client Forbidden","type":"https://api.x.com/2/problems/client-forbidden","reason":"client-not-enrolled"}"#;
        assert!(matches!(classify(StatusCode::FORBIDDEN, &none, client, now), PublishError::Permanent { message } if message.contains("developer portal")));
        assert!(matches!(classify(StatusCode::BAD_GATEWAY, &none, "<html>", now), PublishError::Transient { .. }));
    }
}
