//! Pinterest's OAuth 2.0 (<https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/>):
//! `https://www.pinterest.com/oauth/` with comma-separated scopes, and the token endpoint with
//! the app's id and secret as HTTP Basic. Pinterest documents no PKCE parameters, so none are
//! sent (the client secret authenticates the exchange; the single-use `state` binds the
//! callback). `continuous_refresh=true` asks for refresh tokens that are renewed on each refresh.

use url::Url;
use zenalto_domain::Timestamp;

use super::{NETWORK, PinterestConnector, SCOPES, errors};
use crate::{AuthorizationRequest, OAuthClient, PublishError, Tokens, http, oauth::TokenResponse};

impl PinterestConnector {
    pub(super) fn authorize_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        let mut url = Url::parse(&self.auth_url)
            .map_err(|e| PublishError::Permanent { message: format!("the authorization URL {} is not a URL: {e}", self.auth_url) })?;
        url.query_pairs_mut()
            .append_pair("client_id", &request.client.client_id)
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", &SCOPES.join(","))
            .append_pair("state", request.state);
        Ok(url.into())
    }

    pub(super) async fn token_call(&self, client: &OAuthClient, form: &[(&str, &str)], refreshing: bool) -> Result<Tokens, PublishError> {
        let secret = client.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or("");
        let request = self.http.post(self.url("/oauth/token")).basic_auth(&client.client_id, Some(secret)).form(form);
        let response = http::send(NETWORK, request).await?;
        let status = response.status();
        if status.is_success() {
            let tokens: TokenResponse = http::json(NETWORK, response).await?;
            return Ok(tokens.into_tokens(Timestamp::now()));
        }
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        let detail = errors::message(&body);
        Err(match status.as_u16() {
            400 | 401 if refreshing => {
                PublishError::Reconnect { message: format!("Pinterest no longer accepts this account's refresh token: connect it again ({detail})") }
            }
            401 => PublishError::Permanent {
                message: format!("Pinterest does not accept Zenalto's app credentials: check networks.pinterest client_id and client_secret ({detail})"),
            },
            400 | 403 => PublishError::Permanent { message: format!("Pinterest refused the authorization code: start connecting again ({detail})") },
            _ => errors::classify(status, &headers, &body, Timestamp::now()),
        })
    }
}
