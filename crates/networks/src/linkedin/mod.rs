//! LinkedIn (Posts API, Community Management): 3-legged OAuth 2.0 with the app's client secret,
//! posts for a member or an organization with images, multi-image and video, the first comment
//! through socialActions, delete, metrics, and comments on the account's posts as the inbox.
//! docs/networks/linkedin.md says what it covers and which official pages it follows.

mod errors;
mod inbox;
mod media;
mod oauth;
mod text;
mod wire;

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};
use zenalto_domain::publishing::Network;
use zenalto_settings::NetworkSettings;

use crate::{
    AccountContext, AccountMetrics, AuthorizationRequest, Capabilities, Connector, Identity, InboxItem, InboxPage, Lookup, MediaKind, OAuthClient, PostMetrics,
    PublishError, PublishRequest, Published, Tokens, http, x::recent,
};

/// The `LinkedIn-Version` (YYYYMM) sent by default; LinkedIn sunsets each version after about a
/// year, so `[networks.linkedin] urls.version` overrides it without a new build.
pub const DEFAULT_VERSION: &str = "202605";

pub struct LinkedInConnector {
    http: reqwest::Client,
    auth: String,
    token: String,
    api: String,
    web: String,
    version: String,
    poll_interval: Duration,
    max_polls: u32,
}

/// A URN as one path segment (`urn:li:share:1` → `urn%3Ali%3Ashare%3A1`).
fn urn_path(urn: &str) -> String {
    url::form_urlencoded::byte_serialize(urn.as_bytes()).collect()
}

impl LinkedInConnector {
    pub fn new(settings: &NetworkSettings, http: reqwest::Client) -> Self {
        Self {
            http,
            auth: settings.url("auth", "https://www.linkedin.com/oauth/v2/authorization"),
            token: settings.url("token", "https://www.linkedin.com/oauth/v2/accessToken"),
            api: settings.url("api", "https://api.linkedin.com"),
            web: settings.url("web", "https://www.linkedin.com"),
            version: settings.url("version", DEFAULT_VERSION),
            poll_interval: Duration::from_secs(10),
            max_polls: 60,
        }
    }

    /// How long to wait between video status checks, and how many checks before giving up.
    pub fn with_polling(mut self, interval: Duration, max_polls: u32) -> Self {
        self.poll_interval = interval;
        self.max_polls = max_polls;
        self
    }

    /// The headers every versioned REST call carries.
    fn rest(&self, request: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
        request.bearer_auth(token).header("LinkedIn-Version", self.version.as_str()).header("X-Restli-Protocol-Version", "2.0.0")
    }

    fn post_url(&self, urn: &str) -> String {
        format!("{}/feed/update/{urn}", self.web)
    }

    /// The member or organization URN the account posts as.
    fn author<'a>(&self, account: &'a AccountContext) -> Result<&'a str, PublishError> {
        let urn = account.platform_account_id.as_str();
        if urn.starts_with("urn:li:person:") || urn.starts_with("urn:li:organization:") {
            Ok(urn)
        } else {
            Err(PublishError::Reconnect { message: format!("the LinkedIn account {} has no member or organization URN on record: connect it again", account.handle) })
        }
    }

    async fn content(&self, token: &str, author: &str, request: &PublishRequest) -> Result<Option<Value>, PublishError> {
        media::check_mix(&request.media)?;
        if let Some(video) = request.media.iter().find(|m| m.kind == MediaKind::Video) {
            let id = self.upload_video(token, author, video).await?;
            let mut media = json!({ "id": id });
            if let Some(title) = request.title.as_deref().filter(|t| !t.is_empty()) {
                media["title"] = json!(title);
            }
            return Ok(Some(json!({ "media": media })));
        }
        let mut images = Vec::with_capacity(request.media.len());
        for file in &request.media {
            let id = self.upload_image(token, author, file).await?;
            let mut image = json!({ "id": id });
            if let Some(alt) = file.alt_text.as_deref().filter(|a| !a.trim().is_empty()) {
                image["altText"] = json!(alt);
            }
            images.push(image);
        }
        Ok(match images.len() {
            0 => request.link.as_deref().map(|link| json!({ "article": { "source": link, "title": request.title.clone().unwrap_or_else(|| link.to_owned()) } })),
            1 => images.pop().map(|image| json!({ "media": image })),
            _ => Some(json!({ "multiImage": { "images": images } })),
        })
    }

    /// Comments on `object` as the account (a reply to a comment when `parent` is given).
    async fn comment(&self, token: &str, author: &str, object: &str, parent: Option<&str>, text: &str) -> Result<String, PublishError> {
        let mut body = json!({ "actor": author, "object": object, "message": { "text": text::little_text(text) } });
        if let Some(parent) = parent {
            body["parentComment"] = json!(parent);
        }
        let request = self.rest(self.http.post(format!("{}/rest/socialActions/{}/comments", self.api, urn_path(object))), token).json(&body);
        let response = errors::send_ok(request).await?;
        let header = response.headers().get("x-restli-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let created: Option<wire::Comment> = response.json().await.ok();
        header
            .or_else(|| created.and_then(|c| c.urn()))
            .ok_or_else(|| PublishError::Transient { message: "LinkedIn created the comment but did not say its id".into(), retry_after_secs: None })
    }

    async fn recent_posts(&self, token: &str, author: &str, count: u32) -> Result<Vec<wire::Post>, PublishError> {
        let request = self.rest(self.http.get(format!("{}/rest/posts", self.api)), token).query(&[
            ("author", author),
            ("q", "author"),
            ("count", &count.to_string()),
            ("sortBy", "LAST_MODIFIED"),
        ]);
        let page: wire::Elements<wire::Post> = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
        Ok(page.elements)
    }
}

#[async_trait]
impl Connector for LinkedInConnector {
    fn network(&self) -> Network {
        Network::LinkedIn
    }

    fn capabilities(&self) -> Capabilities {
        // Refresh tokens exist only for apps LinkedIn approved for them; `refresh` works when the
        // grant came with one. LinkedIn documents no revocation endpoint.
        Capabilities { native_idempotency: false, can_verify: true, metrics: true, inbox: true, refreshes_tokens: true, can_revoke: false }
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        let token = account.token()?;
        let author = self.author(account)?;
        let text = match request.parts.as_slice() {
            [one] => one,
            [] => return Err(PublishError::Permanent { message: "a post needs at least one part".into() }),
            _ => return Err(PublishError::Permanent { message: "LinkedIn has no threads: publish one part".into() }),
        };
        let commentary = text::little_text(text);
        let mut body = json!({
            "author": author,
            "commentary": commentary,
            "visibility": "PUBLIC",
            "distribution": { "feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": [] },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": false,
        });
        if let Some(content) = self.content(token, author, request).await.map_err(crate::x::nothing_posted)? {
            body["content"] = content;
        }
        let response = errors::send_ok(self.rest(self.http.post(format!("{}/rest/posts", self.api)), token).json(&body)).await?;
        let Some(urn) = response.headers().get("x-restli-id").and_then(|v| v.to_str().ok()).map(str::to_owned) else {
            return Err(PublishError::Unknown { message: "LinkedIn accepted the post but did not return its id (x-restli-id)".into() });
        };
        if let Some(comment) = request.first_comment.as_deref().filter(|c| !c.trim().is_empty())
            && let Err(e) = self.comment(token, author, &urn, None, comment).await
        {
            tracing::warn!(post = %urn, error = %e, "LinkedIn: the post was published but its first comment was refused");
        }
        Ok(Published { url: Some(self.post_url(&urn)), platform_post_id: urn })
    }

    /// Looks for the post's commentary (as sent, escaped for little text) among the author's
    /// latest posts.
    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        let text = lookup.first_part();
        let posts = self.recent_posts(account.token()?, self.author(account)?, 20).await?;
        let sent = text::little_text(text);
        Ok(posts
            .into_iter()
            .find(|p| recent::same_text(&sent, &p.commentary) || recent::same_text(text, &p.commentary))
            .map(|p| Published { url: Some(self.post_url(&p.id)), platform_post_id: p.id }))
    }

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError> {
        let request = self.rest(self.http.delete(format!("{}/rest/posts/{}", self.api, urn_path(platform_post_id))), account.token()?).header("X-RestLi-Method", "DELETE");
        let response = http::send(Network::LinkedIn, request).await?;
        if response.status().is_success() || response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(());
        }
        Err(errors::from_response(response).await)
    }

    fn authorization_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        oauth::authorization_url(&self.auth, request)
    }

    async fn exchange(&self, client: &OAuthClient, code: &str, _pkce_verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
        oauth::exchange(&self.http, &self.token, client, code, redirect_uri).await
    }

    async fn identities(&self, _client: &OAuthClient, tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        self.find_identities(tokens.access_token.expose()).await
    }

    async fn refresh(&self, client: &OAuthClient, _account: &AccountContext, refresh_token: &zenalto_domain::Secret<String>) -> Result<Tokens, PublishError> {
        let endpoint = crate::oauth::TokenEndpoint { network: Network::LinkedIn, url: &self.token, client, auth: crate::oauth::ClientAuth::Body };
        crate::oauth::refresh(&self.http, &endpoint, refresh_token).await
    }

    async fn post_metrics(&self, account: &AccountContext, platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        self.read_post_metrics(account, platform_post_id).await
    }

    async fn account_metrics(&self, account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        self.read_account_metrics(account).await
    }

    async fn inbox(&self, account: &AccountContext, since: Option<&str>) -> Result<InboxPage, PublishError> {
        self.read_inbox(account, since).await
    }

    async fn reply(&self, account: &AccountContext, to: &InboxItem, text: &str) -> Result<Published, PublishError> {
        let parent = to.platform_id.starts_with("urn:li:comment:").then_some(to.platform_id.as_str());
        let id = self.comment(account.token()?, self.author(account)?, &to.thread_id, parent, text).await?;
        Ok(Published { platform_post_id: id, url: None })
    }
}
