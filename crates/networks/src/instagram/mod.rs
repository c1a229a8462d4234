//! Instagram professional accounts (business or creator) through the Instagram API with
//! Facebook Login (<https://developers.facebook.com/docs/instagram-platform/>): the accounts
//! are those linked to the person's Pages, and every call uses that Page's token. Posts go
//! through containers that Instagram fetches from public URLs. docs/networks/instagram.md says
//! what is supported and what is not.

mod inbox;
mod metrics;
mod publish;

use async_trait::async_trait;
use serde::Deserialize;
use zenalto_domain::{Secret, publishing::Network};
use zenalto_settings::NetworkSettings;

use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity,
    InboxItem, InboxPage, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest,
    Published, Tokens,
    meta::{self, graph::Graph, login::FacebookLogin, poll::Polling},
};

/// The permissions asked at login: the Pages (to find the linked accounts), publishing,
/// comments, insights and direct messages (used only once Meta approved it for the app; the
/// inbox reads comments without it).
pub const SCOPES: [&str; 7] = [
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    "instagram_manage_messages",
    "pages_show_list",
    "pages_read_engagement",
];

pub struct InstagramConnector {
    graph: Graph,
    login: FacebookLogin,
    polling: Polling,
}

impl InstagramConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        let version = settings.url("graph_version", meta::DEFAULT_GRAPH_VERSION);
        let graph = Graph::new(
            Network::Instagram,
            http,
            settings.url("graph", "https://graph.facebook.com"),
            version,
        );
        let login = FacebookLogin {
            graph: graph.clone(),
            dialog: settings.url("dialog", "https://www.facebook.com"),
        };
        Self {
            graph,
            login,
            polling: Polling::default(),
        }
    }

    /// How often and how many times a container's status is checked.
    pub fn with_polling(mut self, interval: std::time::Duration, max_polls: u32) -> Self {
        self.polling = Polling {
            interval,
            max_polls,
        };
        self
    }

    fn ig_user(account: &AccountContext) -> Result<&str, PublishError> {
        Some(account.platform_account_id.as_str())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| PublishError::Reconnect {
                message: format!(
                    "the Instagram account {} has no Instagram id: connect it again",
                    account.handle
                ),
            })
    }
}

#[derive(Deserialize)]
struct PageWithInstagram {
    #[serde(default)]
    instagram_business_account: Option<LinkedAccount>,
}

#[derive(Deserialize)]
struct LinkedAccount {
    id: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// A media of `GET /{ig-user-id}/media`.
#[derive(Deserialize)]
struct Media {
    id: String,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    permalink: Option<String>,
}

#[async_trait]
impl Connector for InstagramConnector {
    fn network(&self) -> Network {
        Network::Instagram
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            native_idempotency: false,
            can_verify: true,
            metrics: true,
            inbox: true,
            refreshes_tokens: false,
            can_revoke: true,
        }
    }

    async fn publish(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_post(account, request).await
    }

    /// Looks among the account's latest media for the caption as [`publish::caption`] renders
    /// it from the request, made since the attempt began.
    async fn find_published(
        &self,
        account: &AccountContext,
        lookup: &Lookup<'_>,
    ) -> Result<Option<Published>, PublishError> {
        let caption = publish::caption(lookup.request);
        let ig = Self::ig_user(account)?;
        let recent: meta::graph::List<Media> = self
            .graph
            .get(
                account.token()?,
                &format!("{ig}/media"),
                &[
                    ("fields", "id,caption,timestamp,permalink"),
                    ("limit", "25"),
                ],
            )
            .await?;
        Ok(recent
            .data
            .into_iter()
            .find(|media| {
                meta::is_attempts_post(
                    lookup,
                    &caption,
                    media.caption.as_deref(),
                    media.timestamp.as_deref().and_then(meta::parse_time),
                )
            })
            .map(|media| Published {
                platform_post_id: media.id,
                url: media.permalink,
            }))
    }

    /// `DELETE /{ig-media-id}`: not in Meta's reference pages we could read; third parties report
    /// it works for accounts connected through Facebook Login. A refusal comes back as Permanent.
    async fn delete(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<(), PublishError> {
        self.graph.delete(account.token()?, platform_post_id).await
    }

    fn authorization_url(
        &self,
        request: &AuthorizationRequest<'_>,
    ) -> Result<String, PublishError> {
        self.login.authorization_url(request, &SCOPES)
    }

    async fn exchange(
        &self,
        client: &OAuthClient,
        code: &str,
        pkce_verifier: &str,
        redirect_uri: &str,
    ) -> Result<Tokens, PublishError> {
        self.login
            .exchange(client, code, pkce_verifier, redirect_uri)
            .await
    }

    /// The Instagram business accounts linked to the person's Pages, each with the Page's token
    /// (which does not expire when read with a long-lived user token).
    async fn identities(
        &self,
        _client: &OAuthClient,
        tokens: &Tokens,
    ) -> Result<Vec<Identity>, PublishError> {
        let pages = self.login.pages(tokens.access_token.expose()).await?;
        let mut identities = Vec::new();
        for page in pages {
            let Some(page_token) = page.access_token else {
                continue;
            };
            // One Page refusing (a missing task on it) does not hide the others' accounts.
            let fields = [("fields", "instagram_business_account{id,username,name}")];
            let linked: PageWithInstagram = match self
                .graph
                .get(&page_token, &page.id, &fields)
                .await
            {
                Ok(linked) => linked,
                Err(error) if meta::graph::is_fatal(&error) => return Err(error),
                Err(error) => {
                    tracing::warn!(network = "instagram", page = %page.id, error = %error, "could not read the Page's Instagram account");
                    continue;
                }
            };
            let Some(account) = linked.instagram_business_account else {
                continue;
            };
            let handle = account
                .username
                .clone()
                .unwrap_or_else(|| account.id.clone());
            identities.push(Identity {
                display_name: account.name.unwrap_or_else(|| handle.clone()),
                handle,
                platform_account_id: account.id,
                kind: "business".into(),
                tokens: Some(Tokens {
                    access_token: Secret::new(page_token),
                    refresh_token: None,
                    expires_at: None,
                    scopes: Vec::new(),
                }),
            });
        }
        Ok(identities)
    }

    /// No refresh tokens at Meta: a still-valid token is re-exchanged, an expired one means
    /// reconnect.
    async fn refresh(
        &self,
        client: &OAuthClient,
        _account: &AccountContext,
        refresh_token: &Secret<String>,
    ) -> Result<Tokens, PublishError> {
        self.login.long_lived(client, refresh_token.expose()).await
    }

    async fn revoke(
        &self,
        _client: &OAuthClient,
        account: &AccountContext,
    ) -> Result<(), PublishError> {
        self.login.revoke(account.token()?).await
    }

    async fn post_metrics(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<PostMetrics, PublishError> {
        self.metrics_of_media(account, platform_post_id).await
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
        self.comments_inbox(account, since).await
    }

    async fn reply(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        self.reply_to_comment(account, to, text).await
    }
}
