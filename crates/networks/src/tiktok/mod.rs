//! TikTok through Login Kit (OAuth v2 with `client_key`) and the Content Posting API: direct
//! posts of one video (uploaded in chunks, or pulled from the public URL) or of photos (pulled
//! from public URLs), with the publish status polled until TikTok finishes; metrics from the
//! Display API. TikTok's API offers no deleting, no comments and no inbox.
//! docs/networks/tiktok.md lists what is covered and the pages followed.

mod errors;
mod oauth;
mod publish;
mod publish_ids;
mod wire;

use std::time::Duration;

use async_trait::async_trait;
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use zenalto_domain::{Secret, Timestamp, publishing::Network};
use zenalto_settings::NetworkSettings;

use self::{errors::ApiError, publish_ids::PublishIds, wire::Videos};
use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest,
    Published, Tokens, http, unsupported,
};

const NETWORK: Network = Network::TikTok;
/// Profile (`user.info.basic`, `user.info.profile` for the username), follower counts
/// (`user.info.stats`), direct posting (`video.publish`) and the creator's videos for metrics
/// and verification (`video.list`).
pub const SCOPES: [&str; 5] = ["user.info.basic", "user.info.profile", "user.info.stats", "video.publish", "video.list"];

/// How long TikTok may take to list a post it accepted: until then an unlisted post may still
/// be on its way, so verification waits instead of answering "not published".
const PROCESSING_WINDOW_SECS: i64 = 30 * 60;

pub struct TikTokConnector {
    http: reqwest::Client,
    auth_url: String,
    api: String,
    chunk_size: usize,
    min_chunk: usize,
    poll_interval: Duration,
    max_polls: u32,
    publish_ids: PublishIds,
}

impl TikTokConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            // TikTok's paths end with a slash; settings URLs are kept without one.
            auth_url: format!("{}/", settings.url("auth", "https://www.tiktok.com/v2/auth/authorize")),
            api: settings.url("api", "https://open.tiktokapis.com"),
            chunk_size: 10 * MIB,
            min_chunk: 5 * MIB,
            poll_interval: Duration::from_secs(5),
            max_polls: 60,
            publish_ids: PublishIds::default(),
        }
    }

    /// Upload chunking: `min_chunk` (TikTok: 5 MB; smaller files go up whole) and the chunk
    /// size used above it (10 MiB by default; TikTok allows up to 64 MB).
    pub fn with_chunks(mut self, min_chunk: usize, chunk_size: usize) -> Self {
        self.min_chunk = min_chunk.max(1);
        self.chunk_size = chunk_size.max(self.min_chunk);
        self
    }

    /// How often and how many times to ask for the publish status before answering "unknown".
    pub fn with_status_polls(mut self, interval: Duration, max_polls: u32) -> Self {
        self.poll_interval = interval;
        self.max_polls = max_polls;
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    /// Sends a call and unwraps TikTok's envelope; `scope` is what the endpoint needs.
    async fn call<T: DeserializeOwned>(&self, request: RequestBuilder, scope: &str) -> Result<T, PublishError> {
        let response = http::send(NETWORK, request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(|e| http::transport_error(NETWORK, &e))?;
        let Ok(mut envelope) = serde_json::from_slice::<Value>(&bytes) else {
            let body = String::from_utf8_lossy(&bytes);
            if status.is_success() {
                return Err(PublishError::Transient {
                    message: format!("TikTok answered with something unexpected ({})", http::short(&body)),
                    retry_after_secs: None,
                });
            }
            return Err(http::classify(NETWORK, status, &headers, &body, Timestamp::now()));
        };
        let error: ApiError = serde_json::from_value(envelope["error"].take()).unwrap_or_default();
        if !status.is_success() || !(error.code.is_empty() || error.code == "ok") {
            return Err(errors::classify(status, &headers, &error, scope, Timestamp::now()));
        }
        serde_json::from_value(envelope["data"].take())
            .map_err(|e| PublishError::Transient { message: format!("TikTok answered with something unexpected ({e})"), retry_after_secs: None })
    }

    async fn user(&self, token: &str, fields: &str, scope: &str) -> Result<wire::User, PublishError> {
        let request = self.http.get(self.url("/v2/user/info/")).bearer_auth(token).query(&[("fields", fields)]);
        self.call::<wire::UserData>(request, scope).await.map(|d| d.user)
    }

    async fn list_videos(&self, token: &str) -> Result<Vec<wire::Video>, PublishError> {
        let request = self
            .http
            .post(self.url("/v2/video/list/"))
            .bearer_auth(token)
            .query(&[("fields", "id,title,video_description,share_url,create_time")])
            .json(&json!({ "max_count": 20 }));
        self.call::<Videos>(request, "video.list").await.map(|v| v.videos)
    }
}

const MIB: usize = 1024 * 1024;

/// The public address of a post.
fn post_url(account: &AccountContext, id: &str) -> Option<String> {
    let handle = account.handle.trim_start_matches('@');
    (!handle.is_empty()).then(|| format!("https://www.tiktok.com/@{handle}/video/{id}"))
}

#[async_trait]
impl Connector for TikTokConnector {
    fn network(&self) -> Network {
        NETWORK
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { native_idempotency: false, can_verify: true, metrics: true, inbox: false, refreshes_tokens: true, can_revoke: true }
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        self.publish_post(account, request).await
    }

    /// Asks for the status of the `publish_id` the attempt got from this process; without one
    /// (the init's answer was lost, or the process restarted), looks among the creator's latest
    /// videos for the caption the request renders to.
    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        let token = account.token()?;
        if let Some(publish_id) = self.publish_ids.get(lookup.idempotency_key) {
            let status = self.status(token, &publish_id).await?;
            return match status.status.as_str() {
                "PUBLISH_COMPLETE" => Ok(Some(publish::published(account, &publish_id, &status))),
                "FAILED" => Ok(None),
                other => Err(PublishError::Transient {
                    message: format!("TikTok is still working on the post ({other}); check again later"),
                    retry_after_secs: Some(60),
                }),
            };
        }
        let caption = publish::caption(lookup.request);
        let videos = self.list_videos(token).await?;
        let found = videos
            .into_iter()
            .find(|v| v.video_description.as_deref() == Some(caption.as_str()) || v.title.as_deref() == Some(caption.as_str()))
            .map(|v| Published { url: v.share_url.clone().or_else(|| post_url(account, &v.id)), platform_post_id: v.id });
        // Without the publish_id (a restart), a post TikTok is still processing is not listed
        // yet: "not there" is only an answer once processing would have finished.
        if found.is_none() && Timestamp::now().as_millis() - lookup.attempted_at.as_millis() < PROCESSING_WINDOW_SECS * 1000 {
            return Err(PublishError::Transient {
                message: format!("TikTok may still be processing the post (attempted under {} minutes ago); checking again later", PROCESSING_WINDOW_SECS / 60),
                retry_after_secs: Some(120),
            });
        }
        Ok(found)
    }

    async fn delete(&self, _account: &AccountContext, _platform_post_id: &str) -> Result<(), PublishError> {
        Err(unsupported(NETWORK, "deleting posts through its API (delete it in the TikTok app)"))
    }

    fn authorization_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        self.authorize_url(request)
    }

    async fn exchange(&self, client: &OAuthClient, code: &str, _pkce_verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
        self.token_call(client, &[("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri)], false).await
    }

    async fn identities(&self, _client: &OAuthClient, tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        let user = self.user(tokens.access_token.expose(), "open_id,union_id,avatar_url,display_name,username", "user.info.profile").await?;
        let handle = user.username.clone().filter(|u| !u.is_empty()).unwrap_or_else(|| user.open_id.clone());
        let display_name = user.display_name.clone().unwrap_or_else(|| handle.clone());
        Ok(vec![Identity { platform_account_id: user.open_id, handle, display_name, kind: "profile".into(), tokens: None }])
    }

    /// TikTok rotates refresh tokens: store the one that comes back.
    async fn refresh(&self, client: &OAuthClient, _account: &AccountContext, refresh_token: &Secret<String>) -> Result<Tokens, PublishError> {
        self.token_call(client, &[("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())], true).await
    }

    async fn revoke(&self, client: &OAuthClient, account: &AccountContext) -> Result<(), PublishError> {
        self.revoke_token(client, account.token()?).await
    }

    async fn post_metrics(&self, account: &AccountContext, platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        let body = json!({ "filters": { "video_ids": [platform_post_id] } });
        let request = self
            .http
            .post(self.url("/v2/video/query/"))
            .bearer_auth(account.token()?)
            .query(&[("fields", "id,like_count,comment_count,share_count,view_count")])
            .json(&body);
        let videos: Videos = self.call(request, "video.list").await?;
        let video = videos.videos.into_iter().find(|v| v.id == platform_post_id).ok_or_else(|| PublishError::Permanent {
            message: format!("TikTok does not list the video {platform_post_id} (deleted, private, or not published yet)"),
        })?;
        Ok(PostMetrics {
            likes: video.like_count,
            comments: video.comment_count,
            shares: video.share_count,
            video_views: video.view_count,
            ..PostMetrics::default()
        })
    }

    async fn account_metrics(&self, account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        let user = self.user(account.token()?, "follower_count,following_count,likes_count,video_count", "user.info.stats").await?;
        Ok(AccountMetrics { followers: user.follower_count, following: user.following_count, posts: user.video_count, ..AccountMetrics::default() })
    }
}
