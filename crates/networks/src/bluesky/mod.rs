//! Bluesky (AT Protocol) through the account's PDS with an app password session.
//!
//! URL names (`[networks.bluesky.urls]`): `pds` (default `https://bsky.social`, used when the
//! account has no `instance_url`), `appview` (default `https://public.api.bsky.app`, for counts)
//! and `web` (default `https://bsky.app`, for post links). See docs/networks/bluesky.md.

mod appview;
mod facets;
mod publish;
mod rkey;
mod session;
mod wire;
mod xrpc;

use async_trait::async_trait;
use zenalto_domain::{Secret, publishing::Network};
use zenalto_settings::NetworkSettings;

pub use publish::{MAX_IMAGE_BYTES, MAX_IMAGES};
pub use rkey::{for_part as record_key, is_tid};

use crate::{
    AccountContext, AccountMetrics, Capabilities, ConnectFlow, Connector, Identity, InboxItem,
    InboxPage, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest, Published, Tokens,
};

/// The collection posts live in.
pub const COLLECTION: &str = "app.bsky.feed.post";

pub struct BlueskyConnector {
    http: reqwest::Client,
    pds: String,
    appview: String,
    web: String,
}

impl BlueskyConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            pds: settings.url("pds", "https://bsky.social"),
            appview: settings.url("appview", "https://public.api.bsky.app"),
            web: settings.url("web", "https://bsky.app"),
        }
    }

    fn pds_of(&self, account: &AccountContext) -> String {
        account
            .instance_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| self.pds.clone())
    }

    fn pds_or_default(&self, instance_url: Option<&str>) -> String {
        instance_url
            .map(|u| u.trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| self.pds.clone())
    }
}

#[async_trait]
impl Connector for BlueskyConnector {
    fn network(&self) -> Network {
        Network::Bluesky
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            native_idempotency: true,
            can_verify: true,
            metrics: true,
            inbox: true,
            refreshes_tokens: true,
            can_revoke: false,
        }
    }

    fn connect_flow(&self) -> ConnectFlow {
        ConnectFlow::AppPassword
    }

    async fn publish(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_post(account, request).await
    }

    async fn find_published(
        &self,
        account: &AccountContext,
        lookup: &Lookup<'_>,
    ) -> Result<Option<Published>, PublishError> {
        self.find(account, lookup.idempotency_key).await
    }

    async fn delete(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<(), PublishError> {
        self.delete_post(account, platform_post_id).await
    }

    async fn sign_in(
        &self,
        instance_url: &str,
        identifier: &str,
        app_password: &Secret<String>,
    ) -> Result<(Tokens, Identity), PublishError> {
        self.create_session(
            &self.pds_or_default(Some(instance_url)),
            identifier,
            app_password,
        )
        .await
    }

    async fn identities(
        &self,
        client: &OAuthClient,
        tokens: &Tokens,
    ) -> Result<Vec<Identity>, PublishError> {
        let pds = self.pds_or_default(client.instance_url.as_deref());
        Ok(vec![
            self.get_session(&pds, tokens.access_token.expose()).await?,
        ])
    }

    async fn refresh(
        &self,
        _client: &OAuthClient,
        account: &AccountContext,
        refresh_token: &Secret<String>,
    ) -> Result<Tokens, PublishError> {
        self.refresh_session(&self.pds_of(account), refresh_token)
            .await
    }

    async fn post_metrics(
        &self,
        _account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<PostMetrics, PublishError> {
        self.metrics_of_post(platform_post_id).await
    }

    async fn account_metrics(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        self.metrics_of_account(account).await
    }

    async fn inbox(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        self.notifications(account, since).await
    }

    async fn reply(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        self.reply_to(account, &to.platform_id, text).await
    }
}
