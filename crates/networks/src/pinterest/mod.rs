//! Pinterest through API v5: OAuth 2.0 with Basic client authentication, Pins with one image,
//! a carousel of up to five images, or a video (registered, uploaded to the returned form,
//! processed, then pinned); delete; Pin analytics and account figures. Every Pin goes to a
//! board: the account connected in Zenalto is one board of a Pinterest user, kept as
//! `platform_account_id = "<username>/<board_id>"` (identities lists one per board). Pinterest's
//! API has no comments, no inbox and no token revocation.
//! docs/networks/pinterest.md lists what is covered and the pages followed.

mod errors;
mod oauth;
mod pin;
mod wire;

use std::time::Duration;

use async_trait::async_trait;
use reqwest::RequestBuilder;
use zenalto_domain::{Secret, Timestamp, publishing::Network};
use zenalto_settings::NetworkSettings;

use self::wire::{Board, Page, Pin, PinAnalytics, UserAccount};
use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity, Lookup, OAuthClient, PostMetrics, PublishError, PublishRequest,
    Published, Tokens, http, youtube::quota::utc_date,
};

const NETWORK: Network = Network::Pinterest;
/// Boards to list them, Pins to create, read and delete them, the account for its figures.
pub const SCOPES: [&str; 4] = ["boards:read", "pins:read", "pins:write", "user_accounts:read"];

pub struct PinterestConnector {
    http: reqwest::Client,
    auth_url: String,
    api: String,
    poll_interval: Duration,
    max_polls: u32,
}

impl PinterestConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            auth_url: format!("{}/", settings.url("auth", "https://www.pinterest.com/oauth")),
            api: settings.url("api", "https://api.pinterest.com/v5"),
            poll_interval: Duration::from_secs(3),
            max_polls: 40,
        }
    }

    /// How often and how many times to look at a video's processing before giving up.
    pub fn with_media_polls(mut self, interval: Duration, max_polls: u32) -> Self {
        self.poll_interval = interval;
        self.max_polls = max_polls;
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    async fn call(&self, request: RequestBuilder) -> Result<reqwest::Response, PublishError> {
        let response = http::send(NETWORK, request).await?;
        if response.status().is_success() {
            return Ok(response);
        }
        Err(errors::from_response(response).await)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, token: &str, path: &str, query: &[(&str, &str)]) -> Result<T, PublishError> {
        let response = self.call(self.http.get(self.url(path)).bearer_auth(token).query(query)).await?;
        http::json(NETWORK, response).await
    }
}

/// The board a connected account pins to: the part after the `/` of `platform_account_id`.
fn board_of(account: &AccountContext) -> Result<&str, PublishError> {
    match account.platform_account_id.split_once('/') {
        Some((_, board)) if !board.is_empty() => Ok(board),
        _ => Err(PublishError::Permanent { message: "this Pinterest account has no board chosen: connect it again and pick the board to pin to".into() }),
    }
}

fn pin_url(id: &str) -> String {
    format!("https://www.pinterest.com/pin/{id}/")
}

#[async_trait]
impl Connector for PinterestConnector {
    fn network(&self) -> Network {
        NETWORK
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { native_idempotency: false, can_verify: true, metrics: true, inbox: false, refreshes_tokens: true, can_revoke: false }
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        self.create_pin(account, request).await
    }

    /// Looks among the board's latest Pins for the request's title and description.
    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        let board = board_of(account)?;
        let (title, description) = (lookup.request.title.as_deref().unwrap_or(""), lookup.first_part());
        let pins: Page<Pin> = self.get(account.token()?, &format!("/boards/{board}/pins"), &[("page_size", "50")]).await?;
        Ok(pins
            .items
            .into_iter()
            .find(|p| p.title.as_deref().unwrap_or("") == title && p.description.as_deref().unwrap_or("") == description)
            .map(|p| Published { url: Some(pin_url(&p.id)), platform_post_id: p.id }))
    }

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError> {
        self.call(self.http.delete(self.url(&format!("/pins/{platform_post_id}"))).bearer_auth(account.token()?)).await.map(drop)
    }

    fn authorization_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        self.authorize_url(request)
    }

    async fn exchange(&self, client: &OAuthClient, code: &str, _pkce_verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
        self.token_call(client, &[("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri), ("continuous_refresh", "true")], false)
            .await
    }

    /// One identity per board of the user: the person picks the board the account pins to.
    async fn identities(&self, _client: &OAuthClient, tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        let token = tokens.access_token.expose();
        let user: UserAccount = self.get(token, "/user_account", &[]).await?;
        let boards: Page<Board> = self.get(token, "/boards", &[("page_size", "100")]).await?;
        if boards.items.is_empty() {
            return Err(PublishError::Permanent { message: format!("the Pinterest account {} has no board: create one on Pinterest first", user.username) });
        }
        let owner = user.business_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| user.username.clone());
        Ok(boards
            .items
            .into_iter()
            .map(|board| Identity {
                platform_account_id: format!("{}/{}", user.username, board.id),
                handle: user.username.clone(),
                display_name: format!("{} — {}", owner, board.name),
                kind: "board".into(),
                tokens: None,
            })
            .collect())
    }

    async fn refresh(&self, client: &OAuthClient, _account: &AccountContext, refresh_token: &Secret<String>) -> Result<Tokens, PublishError> {
        self.token_call(client, &[("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())], true).await
    }

    /// Pin analytics over the last 90 days (the longest window Pinterest serves).
    async fn post_metrics(&self, account: &AccountContext, platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        let now = Timestamp::now();
        let (start, end) = (utc_date(now.plus_seconds(-89 * 86_400)), utc_date(now));
        let query = [
            ("start_date", start.as_str()),
            ("end_date", end.as_str()),
            ("metric_types", "IMPRESSION,SAVE,PIN_CLICK,OUTBOUND_CLICK,VIDEO_MRC_VIEW,TOTAL_COMMENTS,TOTAL_REACTIONS"),
        ];
        let analytics: PinAnalytics = self.get(account.token()?, &format!("/pins/{platform_post_id}/analytics"), &query).await?;
        let summary = analytics.all.map(|a| a.summary_metrics).unwrap_or_default();
        let metric = |name: &str| summary.get(name).map(|v| v.max(0.0).round() as u64);
        let clicks = match (metric("PIN_CLICK"), metric("OUTBOUND_CLICK")) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        Ok(PostMetrics {
            impressions: metric("IMPRESSION"),
            saves: metric("SAVE"),
            clicks,
            video_views: metric("VIDEO_MRC_VIEW"),
            comments: metric("TOTAL_COMMENTS"),
            likes: metric("TOTAL_REACTIONS"),
            ..PostMetrics::default()
        })
    }

    async fn account_metrics(&self, account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        let user: UserAccount = self.get(account.token()?, "/user_account", &[]).await?;
        Ok(AccountMetrics {
            followers: user.follower_count,
            following: user.following_count,
            posts: user.pin_count,
            impressions: user.monthly_views.and_then(|v| u64::try_from(v).ok()),
            reach: None,
        })
    }
}
