//! X (API v2): OAuth 2.0 authorization code with PKCE, posts and threads through
//! `POST /2/tweets`, media through the v2 chunked upload, metrics, mentions and DMs.
//! docs/networks/x.md says what it covers and which official pages it follows.

mod errors;
mod inbox;
mod media;
pub(crate) mod recent;
mod wire;

use std::time::Duration;

use async_trait::async_trait;
use serde_json::json;
use zenalto_domain::publishing::Network;
use zenalto_settings::NetworkSettings;

use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity, InboxItem, InboxPage, Lookup, OAuthClient, PostMetrics,
    PublishError, PublishRequest, Published, Tokens, http,
    oauth::{self, ClientAuth, TokenEndpoint},
};

/// What the adapter asks for: post, read (for verification, metrics and mentions), upload media,
/// DMs for the inbox, and a refresh token (`offline.access`).
pub const SCOPES: &[&str] = &["tweet.read", "tweet.write", "users.read", "media.write", "dm.read", "dm.write", "offline.access"];

pub struct XConnector {
    http: reqwest::Client,
    auth: String,
    api: String,
    web: String,
    chunk_size: usize,
    poll_interval: Duration,
    max_polls: u32,
}

impl XConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            auth: settings.url("auth", "https://x.com/i/oauth2/authorize"),
            api: settings.url("api", "https://api.x.com"),
            web: settings.url("web", "https://x.com"),
            chunk_size: 4 * 1024 * 1024,
            poll_interval: Duration::from_secs(10),
            max_polls: 60,
        }
    }

    /// How long to wait between media status checks at most, and how many checks before giving up.
    pub fn with_polling(mut self, interval: Duration, max_polls: u32) -> Self {
        self.poll_interval = interval;
        self.max_polls = max_polls;
        self
    }

    /// The size of each uploaded chunk (tests use a small one to see several `append`s).
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    fn token_endpoint<'a>(&'a self, url: &'a str, client: &'a OAuthClient) -> TokenEndpoint<'a> {
        TokenEndpoint { network: Network::X, url, client, auth: client_auth(client) }
    }

    fn post_url(&self, account: &AccountContext, id: &str) -> String {
        match account.handle.trim_start_matches('@') {
            "" => format!("{}/i/web/status/{id}", self.web),
            handle => format!("{}/{handle}/status/{id}", self.web),
        }
    }

    fn user_id<'a>(&self, account: &'a AccountContext) -> Result<&'a str, PublishError> {
        match account.platform_account_id.as_str() {
            "" => Err(PublishError::Reconnect { message: format!("the X account {} has no user id on record: connect it again", account.handle) }),
            id => Ok(id),
        }
    }

    async fn create(&self, token: &str, text: &str, media_ids: &[String], reply_to: Option<&str>) -> Result<String, PublishError> {
        let body = wire::NewTweet {
            text,
            media: (!media_ids.is_empty()).then(|| wire::NewMedia { media_ids: media_ids.to_vec() }),
            reply: reply_to.map(|id| wire::Reply { in_reply_to_tweet_id: id.to_owned() }),
        };
        let response = errors::send_ok(self.http.post(format!("{}/2/tweets", self.api)).bearer_auth(token).json(&body)).await?;
        let created: wire::Data<wire::Created> = http::json(Network::X, response).await?;
        Ok(created.data.id)
    }

    /// Deletes the parts of a thread already posted, newest first, so a retry starts clean.
    async fn roll_back(&self, token: &str, posted: &[String], cause: PublishError) -> PublishError {
        let mut left = Vec::new();
        for id in posted.iter().rev() {
            if let Err(e) = self.delete_tweet(token, id).await {
                tracing::warn!(tweet = %id, error = %e, "X: could not delete a thread part while rolling back");
                left.push(id.clone());
            }
        }
        if left.is_empty() {
            return cause;
        }
        PublishError::Permanent {
            message: format!(
                "X refused a part of the thread ({}) and these parts already posted could not be deleted: {}. Delete them on X before publishing again",
                cause.message(),
                left.join(", ")
            ),
        }
    }

    /// The account's recent reply to `parent` with `text`, if X shows one.
    async fn find_reply(&self, account: &AccountContext, token: &str, parent: &str, text: &str) -> Option<String> {
        let user = self.user_id(account).ok()?;
        let request = self.http.get(format!("{}/2/users/{user}/tweets", self.api)).bearer_auth(token).query(&[("max_results", "20"), ("tweet.fields", "referenced_tweets")]);
        let page: wire::Page<wire::Tweet> = http::json(Network::X, errors::send_ok(request).await.ok()?).await.ok()?;
        page.data.into_iter().find(|t| recent::same_text(text, &t.text) && t.referenced_tweets.iter().any(|r| r.kind == "replied_to" && r.id == parent)).map(|t| t.id)
    }

    async fn delete_tweet(&self, token: &str, id: &str) -> Result<(), PublishError> {
        let response = http::send(Network::X, self.http.delete(format!("{}/2/tweets/{id}", self.api)).bearer_auth(token)).await?;
        let status = response.status();
        if status.is_success() || status == reqwest::StatusCode::NOT_FOUND {
            return Ok(());
        }
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Err(errors::classify(status, &headers, &body, zenalto_domain::Timestamp::now()))
    }

    async fn me(&self, token: &str, fields: &str) -> Result<wire::User, PublishError> {
        let request = self.http.get(format!("{}/2/users/me", self.api)).bearer_auth(token).query(&[("user.fields", fields)]);
        let me: wire::Data<wire::User> = http::json(Network::X, errors::send_ok(request).await?).await?;
        Ok(me.data)
    }
}

/// A lost answer while uploading media is only a retry: no post was made, and an upload X never
/// attaches to a post simply expires.
pub(crate) fn nothing_posted(error: PublishError) -> PublishError {
    match error {
        PublishError::Unknown { message } => PublishError::Transient { message: format!("{message} while uploading media; no post was made"), retry_after_secs: None },
        other => other,
    }
}

/// A confidential client authenticates with HTTP Basic; a public one sends its id in the body.
fn client_auth(client: &OAuthClient) -> ClientAuth {
    match &client.client_secret {
        Some(secret) if !secret.expose().is_empty() => ClientAuth::Basic,
        _ => ClientAuth::Public,
    }
}

#[async_trait]
impl Connector for XConnector {
    fn network(&self) -> Network {
        Network::X
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { native_idempotency: false, can_verify: true, metrics: true, inbox: true, refreshes_tokens: true, can_revoke: true }
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        let token = account.token()?;
        if request.parts.is_empty() {
            return Err(PublishError::Permanent { message: "a post needs at least one part".into() });
        }
        media::check_mix(&request.media)?;
        let mut media_ids = Vec::with_capacity(request.media.len());
        for file in &request.media {
            media_ids.push(self.upload(token, file).await.map_err(crate::x::nothing_posted)?);
        }
        let mut posted: Vec<String> = Vec::with_capacity(request.parts.len());
        for (index, part) in request.parts.iter().enumerate() {
            let ids: &[String] = if index == 0 { &media_ids } else { &[] };
            match self.create(token, part, ids, posted.last().map(String::as_str)).await {
                Ok(id) => posted.push(id),
                // The first part's outcome may be unknown (a timeout): nothing to roll back, and
                // the verification looks for it by text.
                Err(e) if posted.is_empty() => return Err(e),
                // A later part failed: the parts posted are deleted so a retry starts clean. When
                // its outcome is unknown, it is looked for among the account's replies first, so
                // it goes too.
                Err(e) => {
                    if let PublishError::Unknown { .. } = e
                        && let Some(id) = self.find_reply(account, token, posted.last().map(String::as_str).unwrap_or_default(), part).await
                    {
                        posted.push(id);
                    }
                    return Err(self.roll_back(token, &posted, e).await);
                }
            }
        }
        let root = posted[0].clone();
        if let Some(comment) = request.first_comment.as_deref().filter(|c| !c.trim().is_empty())
            && let Err(e) = self.create(token, comment, &[], posted.last().map(String::as_str)).await
        {
            tracing::warn!(tweet = %root, error = %e, "X: the post was published but its first comment was refused");
        }
        Ok(Published { url: Some(self.post_url(account, &root)), platform_post_id: root })
    }

    /// Looks for the first part's text among the account's latest posts. No time window: X
    /// refuses a post repeating one of the account's recent texts, so the same text is this post.
    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        let text = lookup.first_part();
        let token = account.token()?;
        let user = self.user_id(account)?;
        let request = self.http.get(format!("{}/2/users/{user}/tweets", self.api)).bearer_auth(token).query(&[("max_results", "20"), ("exclude", "replies,retweets")]);
        let page: wire::Page<wire::Tweet> = http::json(Network::X, errors::send_ok(request).await?).await?;
        let found = page.data.into_iter().find(|t| recent::same_text(text, &t.text));
        Ok(found.map(|t| Published { url: Some(self.post_url(account, &t.id)), platform_post_id: t.id }))
    }

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError> {
        self.delete_tweet(account.token()?, platform_post_id).await
    }

    fn authorization_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        oauth::authorization_url(&self.auth, request, SCOPES, " ", &[])
    }

    async fn exchange(&self, client: &OAuthClient, code: &str, pkce_verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
        let url = format!("{}/2/oauth2/token", self.api);
        oauth::exchange_code(&self.http, &self.token_endpoint(&url, client), code, pkce_verifier, redirect_uri).await
    }

    async fn identities(&self, _client: &OAuthClient, tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        let me = self.me(tokens.access_token.expose(), "username,name").await?;
        Ok(vec![Identity { platform_account_id: me.id, handle: me.username, display_name: me.name, kind: "profile".into(), tokens: None }])
    }

    async fn refresh(&self, client: &OAuthClient, _account: &AccountContext, refresh_token: &zenalto_domain::Secret<String>) -> Result<Tokens, PublishError> {
        let url = format!("{}/2/oauth2/token", self.api);
        match oauth::refresh(&self.http, &self.token_endpoint(&url, client), refresh_token).await {
            // X answers a revoked or used refresh token with `invalid_request` ("Value passed for
            // the token was invalid"), not `invalid_grant`: the grant is gone either way, unless
            // it is Zenalto's own app credentials that were refused.
            Err(PublishError::Permanent { message }) if !message.contains("client_secret") => Err(PublishError::Reconnect { message }),
            other => other,
        }
    }

    async fn revoke(&self, client: &OAuthClient, account: &AccountContext) -> Result<(), PublishError> {
        let token = account.token()?;
        let mut form = vec![("token", token), ("token_type_hint", "access_token")];
        let mut request = self.http.post(format!("{}/2/oauth2/revoke", self.api));
        match (client_auth(client), &client.client_secret) {
            (ClientAuth::Basic, Some(secret)) => request = request.basic_auth(&client.client_id, Some(secret.expose())),
            _ => form.push(("client_id", client.client_id.as_str())),
        }
        errors::send_ok(request.form(&form)).await.map(drop)
    }

    async fn post_metrics(&self, account: &AccountContext, platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        let token = account.token()?;
        let url = format!("{}/2/tweets/{platform_post_id}", self.api);
        // Private figures exist only for the owner's posts of the last 30 days; older ones are
        // asked for their public figures alone.
        let tweet = match errors::send_ok(self.http.get(&url).bearer_auth(token).query(&[("tweet.fields", "public_metrics,non_public_metrics")])).await {
            Ok(response) => http::json::<wire::Data<wire::Tweet>>(Network::X, response).await?.data,
            Err(PublishError::Permanent { .. }) => {
                let response = errors::send_ok(self.http.get(&url).bearer_auth(token).query(&[("tweet.fields", "public_metrics")])).await?;
                http::json::<wire::Data<wire::Tweet>>(Network::X, response).await?.data
            }
            Err(e) => return Err(e),
        };
        let public = tweet.public_metrics.unwrap_or_default();
        let private = tweet.non_public_metrics.unwrap_or_default();
        let shares = match (public.retweet_count, public.quote_count) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        Ok(PostMetrics {
            impressions: private.impression_count.or(public.impression_count),
            reach: None,
            likes: public.like_count,
            comments: public.reply_count,
            shares,
            saves: public.bookmark_count,
            clicks: match (private.url_link_clicks, private.user_profile_clicks) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
            },
            video_views: None,
        })
    }

    async fn account_metrics(&self, account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        let me = self.me(account.token()?, "public_metrics").await?;
        let figures = me.public_metrics;
        Ok(AccountMetrics {
            followers: figures.as_ref().and_then(|m| m.followers_count),
            following: figures.as_ref().and_then(|m| m.following_count),
            posts: figures.as_ref().and_then(|m| m.tweet_count),
            impressions: None,
            reach: None,
        })
    }

    async fn inbox(&self, account: &AccountContext, since: Option<&str>) -> Result<InboxPage, PublishError> {
        self.read_inbox(account, since).await
    }

    async fn reply(&self, account: &AccountContext, to: &InboxItem, text: &str) -> Result<Published, PublishError> {
        let token = account.token()?;
        if to.kind == crate::InboxKind::DirectMessage {
            let body = json!({ "text": text });
            let request = self.http.post(format!("{}/2/dm_conversations/{}/messages", self.api, to.thread_id)).bearer_auth(token).json(&body);
            let sent: wire::Data<wire::DmSent> = http::json(Network::X, errors::send_ok(request).await?).await?;
            return Ok(Published { platform_post_id: sent.data.dm_event_id, url: None });
        }
        let id = self.create(token, text, &[], Some(&to.platform_id)).await?;
        Ok(Published { url: Some(self.post_url(account, &id)), platform_post_id: id })
    }
}
