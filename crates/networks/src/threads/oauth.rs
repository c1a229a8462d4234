//! The Threads Authorization Window and tokens
//! (<https://developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions>,
//! <https://developers.facebook.com/docs/threads/get-started/long-lived-tokens/>): the code is
//! traded at `POST /oauth/access_token` (client id and secret in the form) for a one-hour
//! token, which is at once exchanged for a 60-day one (`th_exchange_token`). That token is
//! refreshed with itself (`th_refresh_token`, once it is a day old), so it is also handed back
//! as the refresh token. The Authorization Window documents no PKCE parameters, so none are
//! sent: the single-use `state` protects the redirect.

use serde::Deserialize;
use url::Url;
use zenalto_domain::{Secret, Timestamp};

use super::{SCOPES, ThreadsConnector};
use crate::{AuthorizationRequest, OAuthClient, PublishError, Tokens, meta::login::code_refused};

#[derive(Deserialize)]
struct ShortLived {
    access_token: String,
}

#[derive(Deserialize)]
struct LongLived {
    access_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
}

impl ThreadsConnector {
    /// Token endpoints are not versioned: `https://graph.threads.net/oauth/access_token`.
    fn unversioned(&self, path: &str) -> String {
        format!("{}/{path}", self.graph.base)
    }

    pub(super) fn authorize_url(
        &self,
        request: &AuthorizationRequest<'_>,
    ) -> Result<String, PublishError> {
        let base = format!("{}/oauth/authorize", self.auth);
        let mut url = Url::parse(&base).map_err(|e| PublishError::Permanent {
            message: format!("the Threads authorization URL {base} is not a URL: {e}"),
        })?;
        url.query_pairs_mut()
            .append_pair("client_id", &request.client.client_id)
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("scope", &SCOPES.join(","))
            .append_pair("response_type", "code")
            .append_pair("state", request.state);
        Ok(url.into())
    }

    fn secret(client: &OAuthClient) -> Result<&str, PublishError> {
        client.client_secret.as_ref().map(|s| s.expose().as_str()).filter(|s| !s.is_empty()).ok_or_else(|| PublishError::Permanent {
            message: "Threads needs the app secret for this: set networks.threads.client_secret (the Threads app secret)".into(),
        })
    }

    pub(super) async fn exchange_code(
        &self,
        client: &OAuthClient,
        code: &str,
        redirect_uri: &str,
    ) -> Result<Tokens, PublishError> {
        let secret = Self::secret(client)?;
        let form = [
            ("client_id", client.client_id.as_str()),
            ("client_secret", secret),
            ("code", code),
            ("grant_type", "authorization_code"),
            ("redirect_uri", redirect_uri),
        ];
        let request = self
            .graph
            .http
            .post(self.unversioned("oauth/access_token"))
            .form(&form);
        let short: ShortLived = self
            .graph
            .call_detailed(request)
            .await
            .map_err(code_refused)?;
        let query = [
            ("grant_type", "th_exchange_token"),
            ("client_secret", secret),
            ("access_token", short.access_token.as_str()),
        ];
        let long: LongLived = self
            .graph
            .call(
                self.graph
                    .http
                    .get(self.unversioned("access_token"))
                    .query(&query),
            )
            .await?;
        Ok(tokens(long))
    }

    /// A refused refresh (the token expired or was revoked: code 190) means reconnect.
    pub(super) async fn refresh_token(&self, token: &str) -> Result<Tokens, PublishError> {
        let query = [("grant_type", "th_refresh_token"), ("access_token", token)];
        let long: LongLived = self
            .graph
            .call(
                self.graph
                    .http
                    .get(self.unversioned("refresh_access_token"))
                    .query(&query),
            )
            .await?;
        Ok(tokens(long))
    }
}

fn tokens(long: LongLived) -> Tokens {
    Tokens {
        refresh_token: Some(Secret::new(long.access_token.clone())),
        access_token: Secret::new(long.access_token),
        expires_at: long
            .expires_in
            .filter(|s| *s > 0)
            .map(|s| Timestamp::now().plus_seconds(s)),
        scopes: Vec::new(),
    }
}
