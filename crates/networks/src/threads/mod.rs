//! Threads through the Threads API (<https://developers.facebook.com/docs/threads/>): its own
//! OAuth (short-lived token → long-lived token, refreshed with `th_refresh_token`), posts made
//! in two steps (a container, then `threads_publish`), threads as reply chains with
//! `reply_to_id`, delete, insights and replies as the inbox. docs/networks/threads.md says what
//! is supported and what is not.

mod inbox;
mod oauth;
mod publish;

use async_trait::async_trait;
use serde::Deserialize;
use zenalto_domain::{Secret, publishing::Network};
use zenalto_settings::NetworkSettings;

use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity,
    InboxItem, InboxPage, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest,
    Published, Tokens,
    meta::{
        self,
        graph::{Graph, List},
        insights::{Insight, find},
        poll::Polling,
    },
};

/// The permissions asked: profile, publishing, replies (read and write), insights and delete.
pub const SCOPES: [&str; 6] = [
    "threads_basic",
    "threads_content_publish",
    "threads_manage_replies",
    "threads_read_replies",
    "threads_manage_insights",
    "threads_delete",
];

pub struct ThreadsConnector {
    graph: Graph,
    /// `https://threads.com`: the Authorization Window.
    auth: String,
    polling: Polling,
}

impl ThreadsConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        let version = settings.url("threads_version", meta::DEFAULT_THREADS_VERSION);
        let graph = Graph::new(
            Network::Threads,
            http,
            settings.url("threads_graph", "https://graph.threads.net"),
            version,
        );
        Self {
            graph,
            auth: settings.url("threads_auth", "https://threads.com"),
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

    fn user(account: &AccountContext) -> Result<&str, PublishError> {
        Some(account.platform_account_id.as_str())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| PublishError::Reconnect {
                message: format!(
                    "the Threads account {} has no Threads user id: connect it again",
                    account.handle
                ),
            })
    }
}

#[derive(Deserialize)]
struct Profile {
    id: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct Thread {
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    permalink: Option<String>,
}

#[async_trait]
impl Connector for ThreadsConnector {
    fn network(&self) -> Network {
        Network::Threads
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            native_idempotency: false,
            can_verify: true,
            metrics: true,
            inbox: true,
            refreshes_tokens: true,
            can_revoke: false,
        }
    }

    async fn publish(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_thread(account, request).await
    }

    /// Looks among the account's latest posts for the first part's text as
    /// [`publish::root_text`] renders it from the request, made since the attempt began.
    async fn find_published(
        &self,
        account: &AccountContext,
        lookup: &Lookup<'_>,
    ) -> Result<Option<Published>, PublishError> {
        let text = publish::root_text(lookup.request);
        let user = Self::user(account)?;
        let recent: List<Thread> = self
            .graph
            .get(
                account.token()?,
                &format!("{user}/threads"),
                &[("fields", "id,text,timestamp,permalink"), ("limit", "25")],
            )
            .await?;
        Ok(recent
            .data
            .into_iter()
            .find(|thread| {
                meta::is_attempts_post(
                    lookup,
                    &text,
                    thread.text.as_deref(),
                    thread.timestamp.as_deref().and_then(meta::parse_time),
                )
            })
            .map(|thread| Published {
                platform_post_id: thread.id,
                url: thread.permalink,
            }))
    }

    /// `DELETE /{threads-media-id}` (<https://developers.facebook.com/docs/threads/posts/delete-posts>;
    /// needs `threads_delete`, 100 deletes per day).
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
        self.authorize_url(request)
    }

    async fn exchange(
        &self,
        client: &OAuthClient,
        code: &str,
        _pkce_verifier: &str,
        redirect_uri: &str,
    ) -> Result<Tokens, PublishError> {
        self.exchange_code(client, code, redirect_uri).await
    }

    async fn identities(
        &self,
        _client: &OAuthClient,
        tokens: &Tokens,
    ) -> Result<Vec<Identity>, PublishError> {
        let me: Profile = self
            .graph
            .get(
                tokens.access_token.expose(),
                "me",
                &[("fields", "id,username,name")],
            )
            .await?;
        let handle = me.username.unwrap_or_else(|| me.id.clone());
        Ok(vec![Identity {
            display_name: me
                .name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| handle.clone()),
            handle,
            platform_account_id: me.id,
            kind: "profile".into(),
            tokens: None,
        }])
    }

    async fn refresh(
        &self,
        _client: &OAuthClient,
        _account: &AccountContext,
        refresh_token: &Secret<String>,
    ) -> Result<Tokens, PublishError> {
        self.refresh_token(refresh_token.expose()).await
    }

    async fn post_metrics(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<PostMetrics, PublishError> {
        let insights: List<Insight> = self
            .graph
            .get(
                account.token()?,
                &format!("{platform_post_id}/insights"),
                &[("metric", "views,likes,replies,reposts,quotes,shares")],
            )
            .await?;
        let data = &insights.data;
        let shared = [
            find(data, "reposts"),
            find(data, "quotes"),
            find(data, "shares"),
        ];
        let shares = shared
            .iter()
            .any(Option::is_some)
            .then(|| shared.iter().flatten().sum());
        Ok(PostMetrics {
            impressions: find(data, "views"),
            likes: find(data, "likes"),
            comments: find(data, "replies"),
            shares,
            ..PostMetrics::default()
        })
    }

    async fn account_metrics(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        let user = Self::user(account)?;
        let insights: List<Insight> = self
            .graph
            .get(
                account.token()?,
                &format!("{user}/threads_insights"),
                &[("metric", "followers_count")],
            )
            .await?;
        Ok(AccountMetrics {
            followers: find(&insights.data, "followers_count"),
            ..AccountMetrics::default()
        })
    }

    async fn inbox(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        self.replies_inbox(account, since).await
    }

    async fn reply(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        let token = account.token()?;
        let user = Self::user(account)?;
        let id = self
            .post_text(token, user, text, Some(&to.platform_id), None)
            .await?;
        Ok(Published {
            url: self.permalink(token, &id).await,
            platform_post_id: id,
        })
    }
}
