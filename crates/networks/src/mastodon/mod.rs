//! Mastodon through its REST API, on whichever instance each account lives
//! (<https://docs.joinmastodon.org/client/intro/>).
//!
//! There is no single base URL: the instance comes from `AccountContext::instance_url` (posting,
//! reading) or `OAuthClient::instance_url` (connecting), and Zenalto registers itself as an app
//! at each instance first (`register_client`). See docs/networks/mastodon.md.

mod errors;
mod inbox;
mod oauth;
mod publish;
mod wire;

use std::time::Duration;

use async_trait::async_trait;
use zenalto_domain::{Secret, publishing::Network};
use zenalto_settings::NetworkSettings;

use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, ConnectFlow, Connector,
    Identity, InboxItem, InboxPage, Lookup, OAuthClient, PostMetrics, PublishError,
    PublishRequest, Published, Tokens,
};

/// The scopes Zenalto asks for: posting and media (`write`), the account, statuses and
/// notifications (`read`).
pub const SCOPES: [&str; 2] = ["read", "write"];

pub struct MastodonConnector {
    http: reqwest::Client,
    /// Shown at the instance as the app's name and website.
    client_name: String,
    website: Option<String>,
    poll_interval: Duration,
    max_polls: u32,
}

impl MastodonConnector {
    /// Mastodon needs no app credentials in settings (they are registered per instance);
    /// `[networks.mastodon.urls] website` is the app website shown on the authorization page.
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        let website = settings
            .urls
            .get("website")
            .map(|w| w.trim_end_matches('/').to_owned());
        Self {
            http,
            client_name: "Zenalto".into(),
            website,
            poll_interval: Duration::from_secs(1),
            max_polls: 120,
        }
    }

    /// How often and how many times to ask whether uploaded media is processed (tests).
    pub fn with_media_polling(mut self, interval: Duration, max_polls: u32) -> Self {
        self.poll_interval = interval;
        self.max_polls = max_polls;
        self
    }
}

/// `https://host` from what a person typed (`host`, `https://host/`, `@user@host` is not one).
pub fn normalize_instance(raw: &str) -> Result<String, PublishError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let with_scheme = if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| PublishError::Permanent {
        message: format!("{raw:?} is not a Mastodon instance address (like mastodon.social)"),
    })?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| PublishError::Permanent {
            message: format!("{raw:?} has no host name"),
        })?;
    Ok(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

fn instance_of_account(account: &AccountContext) -> Result<String, PublishError> {
    let raw = account
        .instance_url
        .as_deref()
        .ok_or_else(|| PublishError::Reconnect {
            message: format!(
                "the Mastodon account {} has no instance on record: connect it again",
                account.handle
            ),
        })?;
    normalize_instance(raw)
}

fn instance_of_client(client: &OAuthClient) -> Result<String, PublishError> {
    let raw = client
        .instance_url
        .as_deref()
        .ok_or_else(|| PublishError::Permanent {
            message: "a Mastodon app registration needs its instance".into(),
        })?;
    normalize_instance(raw)
}

#[async_trait]
impl Connector for MastodonConnector {
    fn network(&self) -> Network {
        Network::Mastodon
    }

    fn capabilities(&self) -> Capabilities {
        // Idempotency-Key makes a repeated publish return the first status, but nothing can
        // look a post up by its key: `find_published` cannot verify.
        Capabilities {
            native_idempotency: true,
            can_verify: false,
            metrics: true,
            inbox: true,
            refreshes_tokens: false,
            can_revoke: true,
        }
    }

    fn connect_flow(&self) -> ConnectFlow {
        ConnectFlow::OAuthPerInstance
    }

    async fn publish(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_statuses(account, request).await
    }

    async fn find_published(
        &self,
        _account: &AccountContext,
        _lookup: &Lookup<'_>,
    ) -> Result<Option<Published>, PublishError> {
        Err(PublishError::Permanent {
            message: "Mastodon cannot look a post up by its idempotency key, so Zenalto cannot verify whether it was published; publishing again with the same key within an hour returns the original post".into(),
        })
    }

    async fn delete(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<(), PublishError> {
        self.delete_status(account, platform_post_id).await
    }

    fn authorization_url(
        &self,
        request: &AuthorizationRequest<'_>,
    ) -> Result<String, PublishError> {
        let instance = instance_of_client(request.client)?;
        crate::oauth::authorization_url(
            &format!("{instance}/oauth/authorize"),
            request,
            &SCOPES,
            " ",
            &[],
        )
    }

    async fn register_client(
        &self,
        instance_url: &str,
        redirect_uri: &str,
    ) -> Result<OAuthClient, PublishError> {
        self.register_app(instance_url, redirect_uri).await
    }

    async fn exchange(
        &self,
        client: &OAuthClient,
        code: &str,
        pkce_verifier: &str,
        redirect_uri: &str,
    ) -> Result<Tokens, PublishError> {
        self.exchange_code(client, code, pkce_verifier, redirect_uri)
            .await
    }

    async fn identities(
        &self,
        client: &OAuthClient,
        tokens: &Tokens,
    ) -> Result<Vec<Identity>, PublishError> {
        Ok(vec![self.verify_credentials(client, tokens).await?])
    }

    async fn refresh(
        &self,
        client: &OAuthClient,
        _account: &AccountContext,
        refresh_token: &Secret<String>,
    ) -> Result<Tokens, PublishError> {
        self.refresh_token(client, refresh_token).await
    }

    async fn revoke(
        &self,
        client: &OAuthClient,
        account: &AccountContext,
    ) -> Result<(), PublishError> {
        self.revoke_token(client, account).await
    }

    async fn post_metrics(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<PostMetrics, PublishError> {
        self.status_metrics(account, platform_post_id).await
    }

    async fn account_metrics(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        self.account_figures(account).await
    }

    async fn inbox(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        self.inbox_page(account, since).await
    }

    async fn reply(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        self.reply_to(account, to, text).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_are_origins() {
        assert_eq!(
            normalize_instance("mastodon.social").ok().as_deref(),
            Some("https://mastodon.social")
        );
        assert_eq!(
            normalize_instance(" https://fosstodon.org/ ")
                .ok()
                .as_deref(),
            Some("https://fosstodon.org")
        );
        assert_eq!(
            normalize_instance("http://127.0.0.1:3000").ok().as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert!(normalize_instance("").is_err());
    }
}
