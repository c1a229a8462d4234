//! Bluesky (AT Protocol) through the account's PDS with an app password session.
//!
//! URL names (`[networks.bluesky.urls]`): `pds` (default `https://bsky.social`, used when the
//! account has no `instance_url`), `appview` (default `https://public.api.bsky.app`, for counts)
//! and `web` (default `https://bsky.app`, for post links); `chat_proxy` (default
//! `did:web:api.bsky.chat#bsky_chat`) is not a URL but the `atproto-proxy` value that makes the
//! PDS forward direct-message calls to the chat service. See docs/networks/bluesky.md.

mod appview;
mod chat;
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
    InboxKind, InboxPage, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest,
    Published, Tokens,
};

/// The collection posts live in.
pub const COLLECTION: &str = "app.bsky.feed.post";

pub struct BlueskyConnector {
    http: reqwest::Client,
    pds: String,
    appview: String,
    web: String,
    chat_proxy: String,
}

impl BlueskyConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            pds: settings.url("pds", "https://bsky.social"),
            appview: settings.url("appview", "https://public.api.bsky.app"),
            web: settings.url("web", "https://bsky.app"),
            chat_proxy: settings.url("chat_proxy", "did:web:api.bsky.chat#bsky_chat"),
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
        let (notifications_since, messages_since) = split_cursor(since);
        let mut page = self.notifications(account, notifications_since).await?;
        let messages_cursor = match self.direct_messages(account, messages_since).await {
            Ok((messages, cursor)) => {
                page.items.extend(messages);
                cursor
            }
            // Without the DM privilege the inbox still shows mentions and replies; replying
            // to a message says what to do.
            Err(error) if chat::is_no_dm_privilege(&error) => {
                tracing::warn!(account = %account.account_id, "{error}");
                messages_since.map(str::to_owned)
            }
            Err(error) => return Err(error),
        };
        page.cursor = join_cursor(page.cursor, messages_cursor);
        Ok(page)
    }

    async fn reply(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        match to.kind {
            InboxKind::DirectMessage => self.send_message(account, &to.thread_id, text).await,
            _ => self.reply_to(account, &to.platform_id, text).await,
        }
    }
}

/// Separates the message part of the inbox cursor. The notification part comes first and alone
/// when no message was seen, so a cursor stored before messages were read still works.
const MESSAGES_CURSOR: &str = ";dm=";

fn split_cursor(since: Option<&str>) -> (Option<&str>, Option<&str>) {
    fn non_empty(s: &str) -> Option<&str> {
        Some(s).filter(|s| !s.is_empty())
    }
    match since.map(|s| s.split_once(MESSAGES_CURSOR)) {
        Some(Some((notifications, messages))) => (non_empty(notifications), non_empty(messages)),
        Some(None) => (since.and_then(non_empty), None),
        None => (None, None),
    }
}

fn join_cursor(notifications: Option<String>, messages: Option<String>) -> Option<String> {
    match (notifications, messages) {
        (n, Some(m)) => Some(format!("{}{MESSAGES_CURSOR}{m}", n.unwrap_or_default())),
        (n, None) => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inbox_cursor_keeps_both_parts_and_reads_old_cursors() {
        let old = "2026-11-30T12:00:02.000Z";
        assert_eq!(split_cursor(Some(old)), (Some(old), None));
        assert_eq!(split_cursor(None), (None, None));
        let joined = join_cursor(Some(old.into()), Some("2026-11-30T13:00:00Z".into()));
        assert_eq!(
            split_cursor(joined.as_deref()),
            (Some(old), Some("2026-11-30T13:00:00Z"))
        );
        let only_messages = join_cursor(None, Some("2026-11-30T13:00:00Z".into()));
        assert_eq!(
            split_cursor(only_messages.as_deref()),
            (None, Some("2026-11-30T13:00:00Z"))
        );
        assert_eq!(join_cursor(Some(old.into()), None).as_deref(), Some(old));
    }
}
