//! Connecting an account: an app registered per instance (`POST /api/v1/apps`,
//! <https://docs.joinmastodon.org/methods/apps/>), then OAuth 2.0 authorization code with PKCE
//! S256 (<https://docs.joinmastodon.org/methods/oauth/>; PKCE since Mastodon 4.3), revocation at
//! `/oauth/revoke`, and who the token belongs to from `verify_credentials`.

use zenalto_domain::{Secret, publishing::Network};

use super::{
    MastodonConnector, SCOPES, errors, instance_of_account, instance_of_client, normalize_instance,
    wire,
};
use crate::{
    AccountContext, Identity, OAuthClient, PublishError, Tokens,
    oauth::{self, ClientAuth, TokenEndpoint},
};

impl MastodonConnector {
    pub(super) async fn register_app(
        &self,
        instance_url: &str,
        redirect_uri: &str,
    ) -> Result<OAuthClient, PublishError> {
        let instance = normalize_instance(instance_url)?;
        let scopes = SCOPES.join(" ");
        let mut form = vec![
            ("client_name", self.client_name.as_str()),
            ("redirect_uris", redirect_uri),
            ("scopes", scopes.as_str()),
        ];
        if let Some(website) = &self.website {
            form.push(("website", website));
        }
        let response = errors::send(
            self.http
                .post(format!("{instance}/api/v1/apps"))
                .form(&form),
        )
        .await?;
        let app: wire::Application = errors::json(response).await?;
        Ok(OAuthClient {
            client_id: app.client_id,
            client_secret: app.client_secret.map(Secret::new),
            instance_url: Some(instance),
        })
    }

    pub(super) async fn exchange_code(
        &self,
        client: &OAuthClient,
        code: &str,
        pkce_verifier: &str,
        redirect_uri: &str,
    ) -> Result<Tokens, PublishError> {
        let url = format!("{}/oauth/token", instance_of_client(client)?);
        let endpoint = TokenEndpoint {
            network: Network::Mastodon,
            url: &url,
            client,
            auth: ClientAuth::Body,
        };
        let mut tokens =
            oauth::exchange_code(&self.http, &endpoint, code, pkce_verifier, redirect_uri).await?;
        if tokens.scopes.is_empty() {
            tokens.scopes = SCOPES.iter().map(|s| (*s).to_owned()).collect();
        }
        Ok(tokens)
    }

    /// Mastodon tokens do not expire by default and come without a refresh token; an instance
    /// that issues one gets the standard refresh grant.
    pub(super) async fn refresh_token(
        &self,
        client: &OAuthClient,
        refresh_token: &Secret<String>,
    ) -> Result<Tokens, PublishError> {
        let url = format!("{}/oauth/token", instance_of_client(client)?);
        let endpoint = TokenEndpoint {
            network: Network::Mastodon,
            url: &url,
            client,
            auth: ClientAuth::Body,
        };
        oauth::refresh(&self.http, &endpoint, refresh_token).await
    }

    pub(super) async fn revoke_token(
        &self,
        client: &OAuthClient,
        account: &AccountContext,
    ) -> Result<(), PublishError> {
        let instance = instance_of_account(account).or_else(|_| instance_of_client(client))?;
        let token = account.token()?;
        let mut form = vec![("client_id", client.client_id.as_str()), ("token", token)];
        if let Some(secret) = &client.client_secret {
            form.push(("client_secret", secret.expose()));
        }
        errors::send(
            self.http
                .post(format!("{instance}/oauth/revoke"))
                .form(&form),
        )
        .await?;
        Ok(())
    }

    pub(super) async fn verify_credentials(
        &self,
        client: &OAuthClient,
        tokens: &Tokens,
    ) -> Result<Identity, PublishError> {
        let instance = instance_of_client(client)?;
        let request = self
            .http
            .get(format!("{instance}/api/v1/accounts/verify_credentials"))
            .bearer_auth(tokens.access_token.expose());
        let account: wire::Account = errors::json(errors::send(request).await?).await?;
        let host = url::Url::parse(&instance)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let name = if account.username.is_empty() {
            account.acct.clone()
        } else {
            account.username.clone()
        };
        let display_name = if account.display_name.is_empty() {
            name.clone()
        } else {
            account.display_name.clone()
        };
        Ok(Identity {
            platform_account_id: account.id,
            handle: format!("@{name}@{host}"),
            display_name,
            kind: "profile".into(),
            tokens: None,
        })
    }
}
