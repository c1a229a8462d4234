//! Facebook Pages through the Graph API (<https://developers.facebook.com/docs/pages-api/>):
//! Facebook Login for Business, one account per Page (each with its own Page token), posts with
//! text, links, photos and videos, comments, insights and the Page's comment inbox.
//! docs/networks/facebook.md says what is supported and what is not.

mod inbox;
mod metrics;
mod publish;
mod video;

use async_trait::async_trait;
use zenalto_domain::{Secret, publishing::Network};
use zenalto_settings::NetworkSettings;

use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity,
    InboxItem, InboxPage, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest,
    Published, Tokens,
    meta::{self, graph::Graph, login::FacebookLogin, poll::Polling},
};

/// The permissions asked at login: Pages to pick, posting, comments, insights, videos and
/// Messenger (used only once Meta approved it for the app; the inbox reads comments without it).
pub const SCOPES: [&str; 8] = [
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
    "read_insights",
    "publish_video",
    "pages_messaging",
];

pub struct FacebookConnector {
    graph: Graph,
    /// `https://graph-video.facebook.com`: where video bytes go.
    video_base: String,
    /// `https://www.facebook.com`: post permalinks.
    web: String,
    login: FacebookLogin,
    polling: Polling,
}

impl FacebookConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        let version = settings.url("graph_version", meta::DEFAULT_GRAPH_VERSION);
        let graph = Graph::new(
            Network::Facebook,
            http,
            settings.url("graph", "https://graph.facebook.com"),
            version,
        );
        let login = FacebookLogin {
            graph: graph.clone(),
            dialog: settings.url("dialog", "https://www.facebook.com"),
        };
        Self {
            video_base: settings.url("graph_video", "https://graph-video.facebook.com"),
            web: settings.url("web", "https://www.facebook.com"),
            graph,
            login,
            polling: Polling::default(),
        }
    }

    /// How often and how many times a video's processing status is checked.
    pub fn with_polling(mut self, interval: std::time::Duration, max_polls: u32) -> Self {
        self.polling = Polling {
            interval,
            max_polls,
        };
        self
    }

    fn page_id(account: &AccountContext) -> Result<&str, PublishError> {
        Some(account.platform_account_id.as_str())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| PublishError::Reconnect {
                message: format!(
                    "the Facebook account {} has no Page id: connect it again",
                    account.handle
                ),
            })
    }

    fn post_url(&self, post_id: &str) -> String {
        format!("{}/{post_id}", self.web)
    }
}

#[async_trait]
impl Connector for FacebookConnector {
    fn network(&self) -> Network {
        Network::Facebook
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

    /// Looks among the Page's latest posts for the message as [`publish::message`] renders it
    /// from the request, made since the attempt began.
    async fn find_published(
        &self,
        account: &AccountContext,
        lookup: &Lookup<'_>,
    ) -> Result<Option<Published>, PublishError> {
        let message = publish::message(lookup.request);
        let page = Self::page_id(account)?;
        let recent: meta::graph::List<FeedPost> = self
            .graph
            .get(
                account.token()?,
                &format!("{page}/published_posts"),
                &[("fields", "id,message,created_time"), ("limit", "25")],
            )
            .await?;
        Ok(recent
            .data
            .into_iter()
            .find(|post| {
                meta::is_attempts_post(
                    lookup,
                    &message,
                    post.message.as_deref(),
                    post.created_time.as_deref().and_then(meta::parse_time),
                )
            })
            .map(|post| Published {
                url: Some(self.post_url(&post.id)),
                platform_post_id: post.id,
            }))
    }

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

    /// The person's Pages, each with its own Page token (which does not expire when read with a
    /// long-lived user token). Pages where the person cannot create content are left out.
    async fn identities(
        &self,
        _client: &OAuthClient,
        tokens: &Tokens,
    ) -> Result<Vec<Identity>, PublishError> {
        let pages = self.login.pages(tokens.access_token.expose()).await?;
        Ok(pages
            .into_iter()
            .filter(|page| {
                page.tasks.is_empty()
                    || page
                        .tasks
                        .iter()
                        .any(|t| t == "CREATE_CONTENT" || t == "MANAGE")
            })
            .filter_map(|page| {
                let token = page.access_token?;
                Some(Identity {
                    handle: page.username.clone().unwrap_or_else(|| page.name.clone()),
                    display_name: page.name,
                    platform_account_id: page.id,
                    kind: "page".into(),
                    tokens: Some(Tokens {
                        access_token: Secret::new(token),
                        refresh_token: None,
                        expires_at: None,
                        scopes: page.tasks,
                    }),
                })
            })
            .collect())
    }

    /// Meta has no refresh tokens. A still-valid user token can be re-exchanged for a new
    /// long-lived one; an expired one cannot, and Meta's answer (code 190) means reconnect.
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
        self.metrics_of_post(account, platform_post_id).await
    }

    async fn account_metrics(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        self.metrics_of_page(account).await
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

/// A post of `GET /{page-id}/published_posts`.
#[derive(Debug, serde::Deserialize)]
struct FeedPost {
    id: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    created_time: Option<String>,
}
