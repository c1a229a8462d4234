//! Mastodon's error answers (<https://docs.joinmastodon.org/entities/Error/>): a JSON body
//! `{"error": "..."}` with the status saying what kind of failure it is.

use reqwest::{RequestBuilder, Response, StatusCode, header::HeaderMap};
use zenalto_domain::{Timestamp, publishing::Network};

use super::wire::ApiError;
use crate::{PublishError, http};

const NETWORK: Network = Network::Mastodon;

pub async fn send(request: RequestBuilder) -> Result<Response, PublishError> {
    let response = http::send(NETWORK, request).await?;
    if response.status().is_success() {
        return Ok(response);
    }
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.text().await.unwrap_or_default();
    Err(classify(status, &headers, &body))
}

pub async fn json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, PublishError> {
    http::json(NETWORK, response).await
}

pub fn classify(status: StatusCode, headers: &HeaderMap, body: &str) -> PublishError {
    let error: ApiError = serde_json::from_str(body).unwrap_or_default();
    let detail = match (&error.error, &error.error_description) {
        (e, Some(d)) if !e.is_empty() => format!("{e}: {d}"),
        (e, _) if !e.is_empty() => e.clone(),
        _ => http::short(body),
    };
    match status {
        StatusCode::UNAUTHORIZED => PublishError::Reconnect {
            message: format!(
                "the Mastodon instance no longer accepts this account's token (expired or revoked): connect it again ({detail})"
            ),
        },
        StatusCode::FORBIDDEN if detail.contains("outside the authorized scopes") => {
            PublishError::Reconnect {
                message: format!(
                    "the Mastodon token lacks the scope this needs (read write): connect the account again ({detail})"
                ),
            }
        }
        StatusCode::FORBIDDEN => PublishError::Permanent {
            message: format!(
                "the Mastodon instance refused: the account is suspended, limited or not allowed to do this ({detail})"
            ),
        },
        StatusCode::UNPROCESSABLE_ENTITY => PublishError::Permanent {
            message: format!("the Mastodon instance refused the post: {detail}"),
        },
        StatusCode::NOT_FOUND => PublishError::Permanent {
            message: format!("the Mastodon instance does not know this post or media ({detail})"),
        },
        _ => http::classify(NETWORK, status, headers, &detail, Timestamp::now()),
    }
}
