//! The standard parts of OAuth 2.0 (RFC 6749) with PKCE (RFC 7636) that most networks follow:
//! the authorization URL, the code exchange and the refresh grant, with the token response and
//! the error response of §5.1–5.2. Networks that differ (TikTok's `client_key`, Meta's GET
//! exchange, Bluesky's sessions) write their own and reuse what fits.

use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;
use zenalto_domain::{Secret, Timestamp, publishing::Network};

use crate::{AuthorizationRequest, OAuthClient, PublishError, Tokens, http};

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(id:secret)` (X confidential clients, Pinterest).
    Basic,
    /// `client_id` and `client_secret` in the form body (LinkedIn, Google).
    Body,
    /// `client_id` only: a public client relying on PKCE.
    Public,
}

/// A network's token endpoint and how to talk to it.
pub struct TokenEndpoint<'a> {
    pub network: Network,
    pub url: &'a str,
    pub client: &'a OAuthClient,
    pub auth: ClientAuth,
}

/// The authorization URL: `response_type=code`, the client, the redirect, the scopes joined by
/// `scope_separator` (a space by the RFC; some networks use commas), the state, the S256
/// challenge, and any network-specific parameters.
pub fn authorization_url(base: &str, request: &AuthorizationRequest<'_>, scopes: &[&str], scope_separator: &str, extra: &[(&str, &str)]) -> Result<String, PublishError> {
    let mut url = Url::parse(base).map_err(|e| PublishError::Permanent { message: format!("the authorization URL {base} is not a URL: {e}") })?;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &request.client.client_id)
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("scope", &scopes.join(scope_separator))
            .append_pair("state", request.state)
            .append_pair("code_challenge", request.pkce_challenge)
            .append_pair("code_challenge_method", "S256");
        for (name, value) in extra {
            query.append_pair(name, value);
        }
    }
    Ok(url.into())
}

/// The `authorization_code` grant with the PKCE verifier.
pub async fn exchange_code(http: &reqwest::Client, endpoint: &TokenEndpoint<'_>, code: &str, pkce_verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
    let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri), ("code_verifier", pkce_verifier)];
    token_request(http, endpoint, &form, Grant::Code).await
}

/// The `refresh_token` grant. A refused refresh token means the grant is gone: reconnect.
pub async fn refresh(http: &reqwest::Client, endpoint: &TokenEndpoint<'_>, refresh_token: &Secret<String>) -> Result<Tokens, PublishError> {
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose().as_str())];
    token_request(http, endpoint, &form, Grant::Refresh).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grant {
    Code,
    Refresh,
}

async fn token_request(http: &reqwest::Client, endpoint: &TokenEndpoint<'_>, form: &[(&str, &str)], grant: Grant) -> Result<Tokens, PublishError> {
    let client = endpoint.client;
    let mut body: Vec<(&str, &str)> = form.to_vec();
    let mut request = http.post(endpoint.url).header("accept", "application/json");
    match endpoint.auth {
        ClientAuth::Basic => {
            let secret = client.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or("");
            request = request.basic_auth(&client.client_id, Some(secret));
        }
        ClientAuth::Body => {
            body.push(("client_id", &client.client_id));
            if let Some(secret) = &client.client_secret {
                body.push(("client_secret", secret.expose()));
            }
        }
        ClientAuth::Public => body.push(("client_id", &client.client_id)),
    }
    let response = http::send(endpoint.network, request.form(&body)).await?;
    let status = response.status();
    if status.is_success() {
        let token: TokenResponse = http::json(endpoint.network, response).await?;
        return Ok(token.into_tokens(Timestamp::now()));
    }
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    Err(token_error(endpoint.network, status, &headers, &text, grant))
}

/// RFC 6749 §5.2: `invalid_grant` on a refresh means the person must connect again; on a code
/// exchange it means the code was used, expired or its verifier did not match.
fn token_error(network: Network, status: StatusCode, headers: &reqwest::header::HeaderMap, body: &str, grant: Grant) -> PublishError {
    let label = network.label();
    let parsed: Option<ErrorResponse> = serde_json::from_str(body).ok();
    let Some(error) = parsed else { return http::classify(network, status, headers, body, Timestamp::now()) };
    let detail = error.error_description.unwrap_or_else(|| error.error.clone());
    match (error.error.as_str(), grant) {
        ("invalid_grant", Grant::Refresh) => PublishError::Reconnect { message: format!("{label} no longer accepts this account's refresh token: connect it again ({detail})") },
        ("invalid_grant", Grant::Code) => PublishError::Permanent { message: format!("{label} refused the authorization code (used, expired or not for this request): start connecting again ({detail})") },
        ("invalid_client" | "unauthorized_client", _) => {
            PublishError::Permanent { message: format!("{label} does not accept Zenalto's app credentials: check networks.{network} client_id and client_secret ({detail})") }
        }
        ("invalid_scope", _) => PublishError::Permanent { message: format!("{label} refused the requested permissions ({detail})") },
        _ if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS => http::classify(network, status, headers, body, Timestamp::now()),
        _ => PublishError::Permanent { message: format!("{label} refused the token request: {detail}") },
    }
}

/// RFC 6749 §5.1. `scope` is space-separated by the RFC; some networks use commas.
#[derive(Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
    #[serde(default)]
    pub scope: Option<String>,
}

impl TokenResponse {
    pub fn into_tokens(self, now: Timestamp) -> Tokens {
        Tokens {
            access_token: Secret::new(self.access_token),
            refresh_token: self.refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
            expires_at: self.expires_in.filter(|s| *s > 0).map(|s| now.plus_seconds(s)),
            scopes: self.scope.map(|s| split_scopes(&s)).unwrap_or_default(),
        }
    }
}

/// Scopes as networks send them back: separated by spaces or commas.
pub fn split_scopes(raw: &str) -> Vec<String> {
    raw.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_authorization_url_carries_state_and_the_s256_challenge() {
        let client = OAuthClient { client_id: "app".into(), client_secret: None, instance_url: None };
        let request = AuthorizationRequest { client: &client, redirect_uri: "https://z.example/cb", state: "st", pkce_challenge: "ch" };
        let url = authorization_url("https://x.com/i/oauth2/authorize", &request, &["tweet.read", "offline.access"], " ", &[]).unwrap();
        let parsed = Url::parse(&url).unwrap();
        let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["scope"], "tweet.read offline.access");
        assert_eq!(query["state"], "st");
        assert_eq!(query["code_challenge"], "ch");
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["redirect_uri"], "https://z.example/cb");
    }

    #[test]
    fn token_errors_say_what_to_do() {
        let headers = reqwest::header::HeaderMap::new();
        let refused = r#"{"error":"invalid_grant","error_description":"revoked"}"#;
        assert!(matches!(token_error(Network::X, StatusCode::BAD_REQUEST, &headers, refused, Grant::Refresh), PublishError::Reconnect { .. }));
        assert!(matches!(token_error(Network::X, StatusCode::BAD_REQUEST, &headers, refused, Grant::Code), PublishError::Permanent { .. }));
        let client = r#"{"error":"invalid_client"}"#;
        match token_error(Network::X, StatusCode::UNAUTHORIZED, &headers, client, Grant::Code) {
            PublishError::Permanent { message } => assert!(message.contains("networks.x client_id"), "{message}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(token_error(Network::X, StatusCode::SERVICE_UNAVAILABLE, &headers, "<html>", Grant::Code), PublishError::Transient { .. }));
    }

    #[test]
    fn scopes_split_on_spaces_or_commas() {
        assert_eq!(split_scopes("a b,c"), ["a", "b", "c"]);
    }
}
