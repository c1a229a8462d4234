//! The contract every network adapter fulfils.
//!
//! The core (services) owns everything around a call: it generates OAuth state and PKCE
//! verifiers, stores tokens encrypted, decrypts a token only to hand it to one call, refreshes
//! tokens ahead of expiry, records attempts before publishing and decides about retries. An
//! adapter only speaks its network's wire format and classifies what came back.

use async_trait::async_trait;
use bytes::Bytes;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};

use crate::PublishError;

/// The account a call acts for.
#[derive(Clone, Debug)]
pub struct AccountContext {
    pub workspace_id: WorkspaceId,
    pub account_id: AccountId,
    pub network: Network,
    pub handle: String,
    /// The account's own id at the network: X user id, LinkedIn member or organization URN,
    /// Facebook Page id, Instagram business account id, Threads user id, YouTube channel id,
    /// TikTok open_id, Pinterest user name, Mastodon account id, Bluesky DID. Empty for the
    /// sandbox.
    pub platform_account_id: String,
    /// The server this account lives on, for networks with many (a Mastodon instance, a Bluesky
    /// PDS), as an origin like `https://mastodon.social`. `None`: the connector's configured URL.
    pub instance_url: Option<String>,
    /// Decrypted just for this call. `Secret` keeps it out of logs and debug output.
    pub access_token: Option<Secret<String>>,
}

impl AccountContext {
    /// The bearer token, or the error that sends the user to reconnect.
    pub fn token(&self) -> Result<&str, PublishError> {
        self.access_token.as_ref().map(|t| t.expose().as_str()).ok_or_else(|| PublishError::Reconnect {
            message: format!("the {} account {} has no access token: connect it again", self.network.label(), self.handle),
        })
    }
}

/// What kind of file an attachment is, as the networks distinguish them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Gif,
    Video,
}

/// One file of a post, already transformed to fit the target network (the media library's
/// per-network derivative), with its bytes loaded for upload.
#[derive(Clone, Debug)]
pub struct MediaAttachment {
    /// Zenalto's media asset id (not the network's).
    pub id: String,
    pub kind: MediaKind,
    /// `image/jpeg`, `video/mp4`, …
    pub mime: String,
    pub file_name: String,
    pub bytes: Bytes,
    pub alt_text: Option<String>,
    /// A public, expiring URL for networks that fetch media themselves (Instagram, Threads,
    /// Pinterest); `None` when the server has no public URL.
    pub public_url: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
}

/// One post as a network receives it: already validated and rendered for that network.
#[derive(Clone, Debug, Default)]
pub struct PublishRequest {
    /// The same for every try at the same version of the same target, so a network with its own
    /// idempotency (Mastodon `Idempotency-Key`, Bluesky record keys) recognises a repeat.
    pub idempotency_key: String,
    /// The parts of the post: one, or several for a thread (each a reply to the one before).
    pub parts: Vec<String>,
    /// Zenalto media ids (what the sandbox keeps).
    pub media_ids: Vec<String>,
    /// The files, in order, attached to the first part.
    pub media: Vec<MediaAttachment>,
    pub link: Option<String>,
    pub first_comment: Option<String>,
    pub title: Option<String>,
}

impl PublishRequest {
    /// Whether the post carries files. A verification's request names the media by id only (no
    /// bytes are loaded to look for a post), so adapters ask this rather than `media`.
    pub fn has_media(&self) -> bool {
        !self.media.is_empty() || !self.media_ids.is_empty()
    }
}

/// Clocks differ between Zenalto and a network: a post stamped slightly "before" the attempt
/// began may still be the attempt's.
pub const CLOCK_SLACK_SECS: i64 = 300;

/// What a verification looks for: the attempt's key, the post as it was sent (the same version:
/// a changed post supersedes its job), and when the first attempt with this key began.
#[derive(Clone, Copy, Debug)]
pub struct Lookup<'a> {
    pub idempotency_key: &'a str,
    pub request: &'a PublishRequest,
    pub attempted_at: Timestamp,
}

impl Lookup<'_> {
    /// The first part's text, as sent.
    pub fn first_part(&self) -> &str {
        self.request.parts.first().map(String::as_str).unwrap_or_default()
    }

    /// Whether a post the network dates `created` could come from this attempt: not made before
    /// the attempt began (less [`CLOCK_SLACK_SECS`]). An undated post is not ruled out.
    pub fn in_window(&self, created: Option<Timestamp>) -> bool {
        created.is_none_or(|at| at.plus_seconds(CLOCK_SLACK_SECS) >= self.attempted_at)
    }
}

/// Where the post now lives on the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub platform_post_id: String,
    pub url: Option<String>,
}

/// The app's OAuth client at a network (from settings, or registered per Mastodon instance).
#[derive(Clone, Debug)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: Option<Secret<String>>,
    /// The instance the client belongs to (Mastodon), else `None`.
    pub instance_url: Option<String>,
}

/// What the core asks an adapter to build an authorization URL from. The core generated the
/// state (single use, bound to the user's session and workspace) and the PKCE pair.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest<'a> {
    pub client: &'a OAuthClient,
    pub redirect_uri: &'a str,
    pub state: &'a str,
    /// BASE64URL(SHA-256(verifier)), sent with `code_challenge_method=S256`.
    pub pkce_challenge: &'a str,
}

/// Tokens from an authorization code exchange or a refresh. Kept only encrypted.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub access_token: Secret<String>,
    pub refresh_token: Option<Secret<String>>,
    pub expires_at: Option<Timestamp>,
    pub scopes: Vec<String>,
}

/// An account a grant gives access to. A personal network yields one; Meta yields the person's
/// Pages and the Instagram business accounts linked to them, each with its own token.
#[derive(Clone, Debug)]
pub struct Identity {
    pub platform_account_id: String,
    pub handle: String,
    pub display_name: String,
    /// `profile`, `page`, `business`, `organization`, `channel` — shown when the user picks.
    pub kind: String,
    /// A token of its own (a Facebook Page token); `None` means the grant's tokens.
    pub tokens: Option<Tokens>,
}

/// How a person connects an account of this network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectFlow {
    /// Nothing to authorize (the sandbox).
    None,
    /// OAuth 2.0 authorization code with PKCE, with the app's client from settings.
    OAuth,
    /// OAuth 2.0 with a client registered per instance first (Mastodon).
    OAuthPerInstance,
    /// An identifier and an app password (Bluesky).
    AppPassword,
}

/// Engagement of one published post, as the network reports it (`None`: not reported).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostMetrics {
    pub impressions: Option<u64>,
    pub reach: Option<u64>,
    pub likes: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub saves: Option<u64>,
    pub clicks: Option<u64>,
    pub video_views: Option<u64>,
}

/// Figures of the account as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountMetrics {
    pub followers: Option<u64>,
    pub following: Option<u64>,
    pub posts: Option<u64>,
    pub impressions: Option<u64>,
    pub reach: Option<u64>,
}

/// What an inbox item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxKind {
    Comment,
    Reply,
    Mention,
    DirectMessage,
}

/// One message or comment for the unified inbox.
#[derive(Clone, Debug)]
pub struct InboxItem {
    pub platform_id: String,
    pub kind: InboxKind,
    /// The conversation it belongs to at the network: the root post for comments and replies,
    /// the DM conversation id for messages.
    pub thread_id: String,
    pub author_id: String,
    pub author: String,
    pub text: String,
    pub in_reply_to: Option<String>,
    pub at: Timestamp,
}

/// A page of inbox items and where to continue next time.
#[derive(Clone, Debug, Default)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    /// Opaque to the core; handed back as `since` on the next fetch.
    pub cursor: Option<String>,
}

/// What a network can do, so the engine picks the safe path for each.
#[derive(Clone, Copy, Debug, Default)]
pub struct Capabilities {
    /// The network de-duplicates a repeated publish with the same key by itself.
    pub native_idempotency: bool,
    /// `find_published` can tell whether an attempt's post exists.
    pub can_verify: bool,
    pub metrics: bool,
    pub inbox: bool,
    /// Access tokens expire and are refreshed with a refresh token.
    pub refreshes_tokens: bool,
    /// `revoke` tells the network to drop the grant.
    pub can_revoke: bool,
}

#[async_trait]
pub trait Connector: Send + Sync {
    fn network(&self) -> Network;

    fn capabilities(&self) -> Capabilities;

    fn connect_flow(&self) -> ConnectFlow {
        ConnectFlow::OAuth
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError>;

    /// Looks for the post an attempt made: the check run before retrying an attempt whose outcome
    /// is unknown, possibly by a process that did not make the attempt (after a restart).
    /// Networks with keys of their own (Mastodon, Bluesky, the sandbox) look the key up. The
    /// others match what `lookup.request` says was sent against the account's recent posts: the
    /// first part's text (as the adapter renders it, e.g. with the link appended), the title, the
    /// link, and only posts made since `lookup.attempted_at` less a clock slack
    /// ([`Lookup::in_window`]). `Ok(None)` means "really checked, not there", never "could not
    /// tell": that is an error, so the engine does not post twice.
    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError>;

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError>;

    /// The URL to send the person to (OAuth 2.0 authorization code with PKCE S256).
    fn authorization_url(&self, _request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        Err(unsupported(self.network(), "connecting through OAuth"))
    }

    /// Registers Zenalto as an app at an instance (Mastodon `POST /api/v1/apps`).
    async fn register_client(&self, _instance_url: &str, _redirect_uri: &str) -> Result<OAuthClient, PublishError> {
        Err(unsupported(self.network(), "registering an app per instance"))
    }

    /// Trades the code the person came back with for tokens.
    async fn exchange(&self, _client: &OAuthClient, _code: &str, _pkce_verifier: &str, _redirect_uri: &str) -> Result<Tokens, PublishError> {
        Err(unsupported(self.network(), "connecting through OAuth"))
    }

    /// Signs in with an app password (Bluesky): the tokens, and who they belong to.
    async fn sign_in(&self, _instance_url: &str, _identifier: &str, _app_password: &Secret<String>) -> Result<(Tokens, Identity), PublishError> {
        Err(unsupported(self.network(), "app passwords"))
    }

    /// The accounts the tokens give access to (a person's profile; Meta: Pages and Instagram
    /// business accounts).
    async fn identities(&self, _client: &OAuthClient, _tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        Err(unsupported(self.network(), "connecting accounts"))
    }

    /// New tokens before the access token expires. `account` says which server (Mastodon,
    /// Bluesky) and whose refresh token it is.
    async fn refresh(&self, _client: &OAuthClient, _account: &AccountContext, _refresh_token: &Secret<String>) -> Result<Tokens, PublishError> {
        Err(unsupported(self.network(), "refreshing tokens"))
    }

    /// Tells the network to drop the grant, where its API allows.
    async fn revoke(&self, _client: &OAuthClient, _account: &AccountContext) -> Result<(), PublishError> {
        Err(unsupported(self.network(), "revoking access"))
    }

    async fn post_metrics(&self, _account: &AccountContext, _platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        Err(unsupported(self.network(), "post metrics"))
    }

    async fn account_metrics(&self, _account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        Err(unsupported(self.network(), "account metrics"))
    }

    /// Comments, replies, mentions and messages newer than `since` (the cursor of the last page).
    async fn inbox(&self, _account: &AccountContext, _since: Option<&str>) -> Result<InboxPage, PublishError> {
        Err(unsupported(self.network(), "an inbox"))
    }

    /// Answers an inbox item (a comment reply, a post reply or a direct message).
    async fn reply(&self, _account: &AccountContext, _to: &InboxItem, _text: &str) -> Result<Published, PublishError> {
        Err(unsupported(self.network(), "replies"))
    }
}

/// The answer of a connector asked for something its network (or this build of it) lacks.
pub fn unsupported(network: Network, what: &str) -> PublishError {
    PublishError::Permanent { message: format!("{} does not support {what} here", network.label()) }
}
