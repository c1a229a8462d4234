//! Login Kit's OAuth v2 (<https://developers.tiktok.com/doc/oauth-user-access-token-management>):
//! the app is named by `client_key` (not `client_id`), scopes are comma-separated, the token
//! endpoint takes `client_key` and `client_secret` in the form, and refresh tokens rotate.
//!
//! PKCE: TikTok asks for `code_verifier` only from mobile and desktop apps; its desktop guide
//! derives the challenge as the hex SHA-256 of the verifier, not RFC 7636's base64url, so the
//! core's S256 challenge would not match. Zenalto is a web app with a client secret, so the
//! adapter sends neither (the single-use `state` still binds the callback to the session).

use url::Url;
use zenalto_domain::{Secret, Timestamp};

use super::{NETWORK, SCOPES, TikTokConnector, wire::TokenResponse};
use crate::{AuthorizationRequest, OAuthClient, PublishError, Tokens, http, oauth::split_scopes};

impl TikTokConnector {
    pub(super) fn authorize_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        let mut url = Url::parse(&self.auth_url)
            .map_err(|e| PublishError::Permanent { message: format!("the authorization URL {} is not a URL: {e}", self.auth_url) })?;
        url.query_pairs_mut()
            .append_pair("client_key", &request.client.client_id)
            .append_pair("response_type", "code")
            .append_pair("scope", &SCOPES.join(","))
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("state", request.state);
        Ok(url.into())
    }

    pub(super) async fn token_call(&self, client: &OAuthClient, grant: &[(&str, &str)], refreshing: bool) -> Result<Tokens, PublishError> {
        let secret = client.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or("");
        let mut form = vec![("client_key", client.client_id.as_str()), ("client_secret", secret)];
        form.extend_from_slice(grant);
        let response = http::send(NETWORK, self.http.post(self.url("/v2/oauth/token/")).form(&form)).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        let parsed: Option<TokenResponse> = serde_json::from_str(&body).ok();
        match parsed {
            Some(TokenResponse { access_token: Some(access), expires_in, refresh_token, scope, .. }) if status.is_success() => {
                let now = Timestamp::now();
                Ok(Tokens {
                    access_token: Secret::new(access),
                    refresh_token: refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
                    expires_at: expires_in.filter(|s| *s > 0).map(|s| now.plus_seconds(s)),
                    scopes: scope.map(|s| split_scopes(&s)).unwrap_or_default(),
                })
            }
            Some(TokenResponse { error: Some(error), error_description, .. }) if !status.is_server_error() => {
                let detail = error_description.unwrap_or_else(|| error.clone());
                Err(match (error.as_str(), refreshing) {
                    ("invalid_grant", true) => {
                        PublishError::Reconnect { message: format!("TikTok no longer accepts this account's refresh token: connect it again ({detail})") }
                    }
                    ("invalid_client", _) => PublishError::Permanent {
                        message: format!(
                            "TikTok does not accept Zenalto's app credentials: check networks.tiktok client_id (the client key) and client_secret ({detail})"
                        ),
                    },
                    (_, true) => PublishError::Reconnect { message: format!("TikTok refused to refresh the access: connect the account again ({detail})") },
                    _ => PublishError::Permanent { message: format!("TikTok refused the authorization code: start connecting again ({detail})") },
                })
            }
            _ => Err(http::classify(NETWORK, status, &headers, &body, Timestamp::now())),
        }
    }

    pub(super) async fn revoke_token(&self, client: &OAuthClient, token: &str) -> Result<(), PublishError> {
        let secret = client.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or("");
        let form = [("client_key", client.client_id.as_str()), ("client_secret", secret), ("token", token)];
        http::send_ok(NETWORK, self.http.post(self.url("/v2/oauth/revoke/")).form(&form)).await.map(drop)
    }
}
