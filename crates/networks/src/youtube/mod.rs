//! YouTube through the Data API v3: Google OAuth 2.0 with PKCE, videos uploaded with the
//! resumable protocol, the first comment as a comment thread, statistics, and comments as the
//! inbox. A YouTube post is one video with a title; the post's text is its description.
//! docs/networks/youtube.md lists what is covered and the pages followed.

mod errors;
mod inbox;
pub(crate) mod quota;
mod upload;
mod wire;

use std::time::Duration;

use async_trait::async_trait;
use reqwest::RequestBuilder;
use serde_json::json;
use zenalto_domain::{Secret, publishing::Network};
use zenalto_settings::NetworkSettings;

use self::wire::{Channel, List, PlaylistItem, Video, count};
use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity, InboxItem, InboxPage, Lookup, MediaAttachment, MediaKind,
    OAuthClient, PostMetrics, PublishError, PublishRequest, Published, Tokens, http, oauth,
};

const NETWORK: Network = Network::YouTube;
/// `youtube.upload` to upload; `youtube.force-ssl` to comment, reply, read comment threads,
/// delete videos and read the channel.
pub const SCOPES: [&str; 2] = ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.force-ssl"];
const TITLE_MAX_CHARS: usize = 100;
const DESCRIPTION_MAX_BYTES: usize = 5000;

pub struct YouTubeConnector {
    http: reqwest::Client,
    auth_url: String,
    token_url: String,
    revoke_url: String,
    api: String,
    upload: String,
    chunk_size: usize,
    poll_interval: Duration,
    max_polls: u32,
    privacy: String,
}

impl YouTubeConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            auth_url: settings.url("auth", "https://accounts.google.com/o/oauth2/v2/auth"),
            token_url: settings.url("token", "https://oauth2.googleapis.com/token"),
            revoke_url: settings.url("revoke", "https://oauth2.googleapis.com/revoke"),
            api: settings.url("api", "https://www.googleapis.com/youtube/v3"),
            upload: settings.url("upload", "https://www.googleapis.com/upload/youtube/v3"),
            chunk_size: 32 * upload::CHUNK_UNIT,
            poll_interval: Duration::from_secs(5),
            max_polls: 24,
            privacy: "public".into(),
        }
    }

    /// Upload chunk size, rounded up to a multiple of 256 KiB (8 MiB by default).
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.div_ceil(upload::CHUNK_UNIT).max(1) * upload::CHUNK_UNIT;
        self
    }

    /// How often and how many times to look at the video's processing before answering.
    pub fn with_processing_polls(mut self, interval: Duration, max_polls: u32) -> Self {
        self.poll_interval = interval;
        self.max_polls = max_polls;
        self
    }

    /// `public` (default), `unlisted` or `private`.
    pub fn with_privacy(mut self, privacy: &str) -> Self {
        self.privacy = privacy.to_owned();
        self
    }

    /// Sends a call and maps a Google error body.
    async fn call(&self, request: RequestBuilder) -> Result<reqwest::Response, PublishError> {
        let response = http::send(NETWORK, request).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(errors::from_response(response).await)
    }

    fn token_endpoint<'a>(&'a self, client: &'a OAuthClient) -> oauth::TokenEndpoint<'a> {
        oauth::TokenEndpoint { network: NETWORK, url: &self.token_url, client, auth: oauth::ClientAuth::Body }
    }

    async fn my_channel(&self, token: &str, part: &str) -> Result<Channel, PublishError> {
        let url = format!("{}/channels", self.api);
        let response = self.call(self.http.get(url).bearer_auth(token).query(&[("part", part), ("mine", "true")])).await?;
        let list: List<Channel> = http::json(NETWORK, response).await?;
        list.items
            .into_iter()
            .next()
            .ok_or_else(|| PublishError::Permanent { message: "this Google account has no YouTube channel: create one on YouTube first".into() })
    }

    /// Waits (bounded) for YouTube to process the upload. A rejected or failed video is
    /// permanent; a video still processing after the last look, or whose status cannot be read,
    /// is published all the same (it exists and YouTube finishes on its own; a retry would
    /// upload it twice).
    async fn wait_processed(&self, token: &str, id: &str) -> Result<(), PublishError> {
        for poll in 0..self.max_polls {
            if poll > 0 {
                tokio::time::sleep(self.poll_interval).await;
            }
            let video = match self.processing_status(token, id).await {
                Ok(Some(video)) => video,
                Ok(None) => continue,
                Err(error) => {
                    // The video exists: failing now would make a retry upload it twice.
                    tracing::warn!(network = "youtube", video = id, error = %error, "could not look at the video's processing; published");
                    return Ok(());
                }
            };
            let upload_status = video.status.as_ref().and_then(|s| s.upload_status.as_deref()).unwrap_or("");
            let processing = video.processing_details.as_ref().and_then(|p| p.processing_status.as_deref()).unwrap_or("");
            match (upload_status, processing) {
                ("processed", _) | (_, "succeeded") => return Ok(()),
                ("rejected" | "failed", _) | (_, "failed" | "terminated") => {
                    let status = video.status.as_ref();
                    let reason = status.and_then(|s| s.rejection_reason.clone().or_else(|| s.failure_reason.clone())).unwrap_or_else(|| processing.to_owned());
                    return Err(PublishError::Permanent { message: format!("YouTube refused the uploaded video {id} ({upload_status} {reason})") });
                }
                _ => {}
            }
        }
        tracing::info!(network = "youtube", video = id, "still processing after the last look; published, YouTube finishes on its own");
        Ok(())
    }

    async fn processing_status(&self, token: &str, id: &str) -> Result<Option<Video>, PublishError> {
        let url = format!("{}/videos", self.api);
        let response = self.call(self.http.get(url).bearer_auth(token).query(&[("part", "status,processingDetails"), ("id", id)])).await?;
        let list: List<Video> = http::json(NETWORK, response).await?;
        Ok(list.items.into_iter().next())
    }

    async fn comment(&self, token: &str, video: &str, text: &str) -> Result<(), PublishError> {
        let body = json!({ "snippet": { "videoId": video, "topLevelComment": { "snippet": { "textOriginal": text } } } });
        let url = format!("{}/commentThreads?part=snippet", self.api);
        self.call(self.http.post(url).bearer_auth(token).json(&body)).await.map(drop)
    }
}

/// The video to upload and its title and description, or why the post cannot go to YouTube.
fn prepare(request: &PublishRequest) -> Result<(&MediaAttachment, String, String), PublishError> {
    let refuse = |message: &str| Err(PublishError::Permanent { message: message.to_owned() });
    if request.parts.len() > 1 {
        return refuse("YouTube has no threads: a YouTube post is one video with one description");
    }
    let video = match request.media.as_slice() {
        [one] if one.kind == MediaKind::Video => one,
        [] => return refuse("a YouTube post needs a video"),
        _ => return refuse("a YouTube post is exactly one video (no images, no second video)"),
    };
    if video.bytes.is_empty() {
        return refuse("the video file is empty");
    }
    let title = request.title.as_deref().map(str::trim).unwrap_or("");
    if title.is_empty() {
        return refuse("a YouTube video needs a title: set the post's title for YouTube");
    }
    if title.chars().count() > TITLE_MAX_CHARS || title.contains(['<', '>']) {
        return refuse("YouTube titles are at most 100 characters, without < or >");
    }
    let description = description(request);
    if description.len() > DESCRIPTION_MAX_BYTES || description.contains(['<', '>']) {
        return refuse("YouTube descriptions are at most 5,000 bytes, without < or >");
    }
    Ok((video, title.to_owned(), description))
}

/// The video's description: the post's text, with the link at its end (a video has no link
/// field). Also what `find_published` looks for.
fn description(request: &PublishRequest) -> String {
    let mut description = request.parts.first().cloned().unwrap_or_default();
    if let Some(link) = request.link.as_deref().filter(|l| !description.contains(*l)) {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(link);
    }
    description
}

fn watch_url(id: &str) -> String {
    format!("https://www.youtube.com/watch?v={id}")
}

#[async_trait]
impl Connector for YouTubeConnector {
    fn network(&self) -> Network {
        NETWORK
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { native_idempotency: false, can_verify: true, metrics: true, inbox: true, refreshes_tokens: true, can_revoke: true }
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        let token = account.token()?;
        let (video, title, description) = prepare(request)?;
        let metadata = json!({
            "snippet": { "title": title, "description": description },
            "status": { "privacyStatus": self.privacy },
        });
        let session = self.open_session(token, &metadata, video).await?;
        let uploaded = self.upload(token, &session, video).await?;
        let id = uploaded.id;
        self.wait_processed(token, &id).await?;
        if let Some(text) = request.first_comment.as_deref().filter(|t| !t.trim().is_empty())
            && let Err(error) = self.comment(token, &id, text).await
        {
            tracing::warn!(network = "youtube", video = %id, error = %error, "the video is published but its first comment failed");
        }
        Ok(Published { url: Some(watch_url(&id)), platform_post_id: id })
    }

    /// Looks among the channel's latest uploads (the uploads playlist) for the title and
    /// description the request renders to.
    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        let title = lookup.request.title.as_deref().map(str::trim).unwrap_or("");
        let description = description(lookup.request);
        let token = account.token()?;
        let channel = self.my_channel(token, "contentDetails").await?;
        let Some(uploads) = channel.content_details.and_then(|c| c.related_playlists.uploads) else { return Ok(None) };
        let url = format!("{}/playlistItems", self.api);
        let response =
            self.call(self.http.get(url).bearer_auth(token).query(&[("part", "snippet"), ("playlistId", uploads.as_str()), ("maxResults", "50")])).await?;
        let list: List<PlaylistItem> = http::json(NETWORK, response).await?;
        Ok(list
            .items
            .into_iter()
            .find(|item| item.snippet.title == title && item.snippet.description == description)
            .and_then(|item| item.snippet.resource_id.video_id)
            .map(|id| Published { url: Some(watch_url(&id)), platform_post_id: id }))
    }

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError> {
        let url = format!("{}/videos", self.api);
        self.call(self.http.delete(url).bearer_auth(account.token()?).query(&[("id", platform_post_id)])).await.map(drop)
    }

    fn authorization_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        // `access_type=offline` and `prompt=consent` so Google returns a refresh token every time.
        oauth::authorization_url(
            &self.auth_url,
            request,
            &SCOPES,
            " ",
            &[("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true")],
        )
    }

    async fn exchange(&self, client: &OAuthClient, code: &str, pkce_verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
        oauth::exchange_code(&self.http, &self.token_endpoint(client), code, pkce_verifier, redirect_uri).await
    }

    async fn identities(&self, _client: &OAuthClient, tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        let channel = self.my_channel(tokens.access_token.expose(), "snippet").await?;
        let snippet = channel.snippet.unwrap_or(wire::ChannelSnippet { title: String::new(), custom_url: None });
        let handle = snippet.custom_url.clone().unwrap_or_else(|| snippet.title.clone());
        Ok(vec![Identity { platform_account_id: channel.id, handle, display_name: snippet.title, kind: "channel".into(), tokens: None }])
    }

    /// Google answers a refresh without a new refresh token: keep the one stored.
    async fn refresh(&self, client: &OAuthClient, _account: &AccountContext, refresh_token: &Secret<String>) -> Result<Tokens, PublishError> {
        oauth::refresh(&self.http, &self.token_endpoint(client), refresh_token).await
    }

    async fn revoke(&self, _client: &OAuthClient, account: &AccountContext) -> Result<(), PublishError> {
        // Revoking the access token revokes its refresh token too.
        let request = self.http.post(&self.revoke_url).form(&[("token", account.token()?)]);
        http::send_ok(NETWORK, request).await.map(drop)
    }

    async fn post_metrics(&self, account: &AccountContext, platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        let url = format!("{}/videos", self.api);
        let response = self.call(self.http.get(url).bearer_auth(account.token()?).query(&[("part", "statistics"), ("id", platform_post_id)])).await?;
        let list: List<Video> = http::json(NETWORK, response).await?;
        let video =
            list.items.into_iter().next().ok_or_else(|| PublishError::Permanent { message: format!("YouTube does not know the video {platform_post_id}") })?;
        let stats = video.statistics;
        let stats = stats.as_ref();
        Ok(PostMetrics {
            likes: count(stats.and_then(|s| s.like_count.as_ref())),
            comments: count(stats.and_then(|s| s.comment_count.as_ref())),
            video_views: count(stats.and_then(|s| s.view_count.as_ref())),
            ..PostMetrics::default()
        })
    }

    async fn account_metrics(&self, account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        let channel = self.my_channel(account.token()?, "statistics").await?;
        let stats = channel.statistics.as_ref();
        Ok(AccountMetrics {
            followers: count(stats.and_then(|s| s.subscriber_count.as_ref())),
            posts: count(stats.and_then(|s| s.video_count.as_ref())),
            ..AccountMetrics::default()
        })
    }

    async fn inbox(&self, account: &AccountContext, since: Option<&str>) -> Result<InboxPage, PublishError> {
        self.fetch_inbox(account, since).await
    }

    async fn reply(&self, account: &AccountContext, to: &InboxItem, text: &str) -> Result<Published, PublishError> {
        self.reply_to(account, to, text).await
    }
}
