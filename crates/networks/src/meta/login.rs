//! Facebook Login for Business, shared by the Facebook Pages and Instagram adapters
//! (<https://developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow>,
//! <https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived>).
//!
//! The dialog takes `code_challenge`/`code_challenge_method=S256` (Meta documents PKCE for
//! manually built login flows in its OIDC guide, still marked "in testing"), so the verifier is
//! sent at the exchange beside the app secret. The short-lived user token is traded at once for
//! a long-lived one (~60 days), and the Page tokens read with a long-lived user token do not
//! expire: Meta issues no refresh tokens.

use serde::Deserialize;
use zenalto_domain::{Secret, Timestamp};

use super::graph::{Failure, Graph, List, Success};
use crate::{AuthorizationRequest, OAuthClient, PublishError, Tokens, oauth};

pub struct FacebookLogin {
    pub graph: Graph,
    /// `https://www.facebook.com`
    pub dialog: String,
}

#[derive(Deserialize)]
struct AccessToken {
    access_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
}

/// One Page of `GET /me/accounts`, with its own Page access token.
#[derive(Clone, Debug, Deserialize)]
pub struct PageAccount {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub tasks: Vec<String>,
}

impl FacebookLogin {
    pub fn authorization_url(
        &self,
        request: &AuthorizationRequest<'_>,
        scopes: &[&str],
    ) -> Result<String, PublishError> {
        let base = format!("{}/{}/dialog/oauth", self.dialog, self.graph.version);
        oauth::authorization_url(&base, request, scopes, ",", &[])
    }

    fn secret<'a>(&self, client: &'a OAuthClient) -> Result<&'a str, PublishError> {
        let network = self.graph.network;
        client
            .client_secret
            .as_ref()
            .map(|s| s.expose().as_str())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| PublishError::Permanent {
                message: format!(
                    "{} needs the app secret for this: set networks.{network}.client_secret",
                    network.label()
                ),
            })
    }

    /// Code → short-lived user token → long-lived user token.
    pub async fn exchange(
        &self,
        client: &OAuthClient,
        code: &str,
        pkce_verifier: &str,
        redirect_uri: &str,
    ) -> Result<Tokens, PublishError> {
        let secret = self.secret(client)?;
        let query = [
            ("client_id", client.client_id.as_str()),
            ("client_secret", secret),
            ("redirect_uri", redirect_uri),
            ("code", code),
            ("code_verifier", pkce_verifier),
        ];
        let short: AccessToken = self
            .graph
            .call_detailed(
                self.graph
                    .http
                    .get(self.graph.url("oauth/access_token"))
                    .query(&query),
            )
            .await
            .map_err(code_refused)?;
        self.long_lived(client, &short.access_token).await
    }

    /// `grant_type=fb_exchange_token`: a valid user token for a long-lived one. An expired token
    /// cannot be exchanged: that answer sends the person to reconnect.
    pub async fn long_lived(
        &self,
        client: &OAuthClient,
        token: &str,
    ) -> Result<Tokens, PublishError> {
        let secret = self.secret(client)?;
        let query = [
            ("grant_type", "fb_exchange_token"),
            ("client_id", client.client_id.as_str()),
            ("client_secret", secret),
            ("fb_exchange_token", token),
        ];
        let long: AccessToken = self
            .graph
            .call(
                self.graph
                    .http
                    .get(self.graph.url("oauth/access_token"))
                    .query(&query),
            )
            .await?;
        Ok(Tokens {
            access_token: Secret::new(long.access_token),
            refresh_token: None,
            expires_at: long
                .expires_in
                .filter(|s| *s > 0)
                .map(|s| Timestamp::now().plus_seconds(s)),
            scopes: Vec::new(),
        })
    }

    /// The person's Pages, each with its Page token (at most 500: five pages of 100).
    pub async fn pages(&self, user_token: &str) -> Result<Vec<PageAccount>, PublishError> {
        let mut pages = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..5 {
            let mut query = vec![
                ("fields", "id,name,username,access_token,tasks"),
                ("limit", "100"),
            ];
            if let Some(cursor) = after.as_deref() {
                query.push(("after", cursor));
            }
            let page: Paged<PageAccount> =
                self.graph.get(user_token, "me/accounts", &query).await?;
            after = page.next_cursor();
            let done = page.data.is_empty() || after.is_none();
            pages.extend(page.data);
            if done {
                break;
            }
        }
        Ok(pages)
    }

    /// `DELETE /me/permissions`: drops the whole grant.
    pub async fn revoke(&self, token: &str) -> Result<(), PublishError> {
        let answer: Success = self
            .graph
            .call(
                self.graph
                    .http
                    .delete(self.graph.url("me/permissions"))
                    .bearer_auth(token),
            )
            .await?;
        if answer.success {
            Ok(())
        } else {
            Err(PublishError::Permanent {
                message: format!(
                    "{} did not confirm dropping the grant",
                    self.graph.network.label()
                ),
            })
        }
    }
}

/// A list with `paging.cursors.after` and `paging.next`.
#[derive(Debug, Deserialize)]
pub struct Paged<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub cursors: Option<Cursors>,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Cursors {
    #[serde(default)]
    pub after: Option<String>,
}

impl<T> Paged<T> {
    /// The `after` cursor, only when Meta says there is a next page.
    pub fn next_cursor(&self) -> Option<String> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.clone()
    }
}

impl<T> From<Paged<T>> for List<T> {
    fn from(paged: Paged<T>) -> Self {
        List { data: paged.data }
    }
}

/// A refused code (codes 100 and 190 at the exchange: used, expired, wrong redirect or
/// verifier) is the person's to retry, not an account to reconnect; anything else (the app's
/// credentials, an outage) keeps its own class.
pub fn code_refused(failure: Failure) -> PublishError {
    match failure.code() {
        Some((100 | 190, _)) => PublishError::Permanent {
            message: format!(
                "the authorization code was refused (used, expired or not for this request): start connecting again ({})",
                failure.error.message()
            ),
        },
        _ => failure.error,
    }
}
