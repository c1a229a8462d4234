//! XRPC calls (<https://atproto.com/specs/xrpc>) and the errors they answer with:
//! `{"error":"<Name>","message":"…"}`, mapped to what the queue does before falling back to the
//! status code.

use reqwest::{RequestBuilder, Response, StatusCode, header::HeaderMap};
use serde::Deserialize;
use zenalto_domain::{Timestamp, publishing::Network};

use crate::{PublishError, http};

const NETWORK: Network = Network::Bluesky;

#[derive(Deserialize, Default)]
pub struct XrpcError {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub message: String,
}

impl XrpcError {
    pub fn parse(body: &str) -> Self {
        serde_json::from_str(body).unwrap_or_default()
    }

    /// `getRecord` on a key with no record.
    pub fn is_not_found(&self) -> bool {
        self.error == "RecordNotFound" || self.message.contains("Could not locate record")
    }
}

/// Sends a call; an error status becomes its [`PublishError`].
pub async fn send(request: RequestBuilder) -> Result<Response, PublishError> {
    let response = http::send(NETWORK, request).await?;
    if response.status().is_success() {
        return Ok(response);
    }
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.text().await.unwrap_or_default();
    Err(classify(status, &headers, &body))
}

/// A failed call: the call's own error name first, then the status.
pub fn classify(status: StatusCode, headers: &HeaderMap, body: &str) -> PublishError {
    let error = XrpcError::parse(body);
    let detail = if error.message.is_empty() {
        http::short(body)
    } else {
        format!("{}: {}", error.error, error.message)
    };
    match error.error.as_str() {
        // The PDS keeps chat for app passwords made with the DM privilege.
        "InvalidToken" if error.message.contains(super::chat::NO_DM_PRIVILEGE) => {
            PublishError::Reconnect {
                message: format!(
                    "Bluesky refused direct messages: connect the account again with an app password that has \"Allow access to your direct messages\" ticked ({detail})"
                ),
            }
        }
        "ExpiredToken"
        | "InvalidToken"
        | "AuthRequired"
        | "AuthMissing"
        | "AuthenticationRequired"
        | "InvalidAuthorization" => PublishError::Reconnect {
            message: format!(
                "Bluesky no longer accepts this account's session: connect it again with an app password ({detail})"
            ),
        },
        "AccountTakedown" | "AccountDeactivated" | "AccountSuspended" | "RepoTakendown"
        | "RepoDeactivated" | "RepoSuspended" => PublishError::Permanent {
            message: format!(
                "Bluesky refused: the account is deactivated, suspended or taken down ({detail})"
            ),
        },
        "BlobTooLarge" | "InvalidMimeType" => PublishError::Permanent {
            message: format!("Bluesky refused the media file ({detail})"),
        },
        "InvalidRecord" | "InvalidRequest" | "InvalidSwap" if status == StatusCode::BAD_REQUEST => {
            PublishError::Permanent {
                message: format!("Bluesky refused the post ({detail})"),
            }
        }
        "RateLimitExceeded" if status != StatusCode::TOO_MANY_REQUESTS => {
            let now = Timestamp::now();
            PublishError::RateLimited {
                message: format!("Bluesky rate limit reached ({detail})"),
                reset_at: http::rate_limit_reset(headers, now).or(Some(now.plus_seconds(60))),
            }
        }
        _ => http::classify(
            NETWORK,
            status,
            headers,
            if error.message.is_empty() {
                body
            } else {
                &detail
            },
            Timestamp::now(),
        ),
    }
}

pub async fn json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, PublishError> {
    http::json(NETWORK, response).await
}
