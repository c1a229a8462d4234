//! The contract every network adapter fulfils.

use async_trait::async_trait;
use zenalto_domain::{AccountId, WorkspaceId, publishing::Network};

use crate::PublishError;

/// The account a call acts for. Issue 6 adds the decrypted access token and the base URL.
#[derive(Clone, Debug)]
pub struct AccountContext {
    pub workspace_id: WorkspaceId,
    pub account_id: AccountId,
    pub network: Network,
    pub handle: String,
}

/// One post as a network receives it: already validated and rendered for that network.
#[derive(Clone, Debug)]
pub struct PublishRequest {
    /// The same for every try at the same version of the same target, so a network with its own
    /// idempotency (Mastodon `Idempotency-Key`, Bluesky record keys) recognises a repeat.
    pub idempotency_key: String,
    /// The parts of the post: one, or several for a thread (each a reply to the one before).
    pub parts: Vec<String>,
    pub media_ids: Vec<String>,
    pub link: Option<String>,
    pub first_comment: Option<String>,
    pub title: Option<String>,
}

/// Where the post now lives on the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub platform_post_id: String,
    pub url: Option<String>,
}

/// Where to send a person to grant access (OAuth 2.0 authorization code with PKCE), and the
/// values to keep until they come back.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub pkce_verifier: String,
}

/// Tokens from an authorization code exchange or a refresh. Kept only encrypted.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub access_token: zenalto_domain::Secret<String>,
    pub refresh_token: Option<zenalto_domain::Secret<String>>,
    pub expires_at: Option<zenalto_domain::Timestamp>,
    pub scopes: Vec<String>,
}

/// Engagement of one published post, as the network reports it.
#[derive(Clone, Debug, Default)]
pub struct PostMetrics {
    pub impressions: Option<u64>,
    pub likes: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub clicks: Option<u64>,
}

/// One message or comment for the unified inbox.
#[derive(Clone, Debug)]
pub struct InboxItem {
    pub platform_id: String,
    pub author: String,
    pub text: String,
    pub in_reply_to: Option<String>,
    pub at: zenalto_domain::Timestamp,
}

/// What a network can do, so the engine picks the safe path for each.
#[derive(Clone, Copy, Debug)]
pub struct Capabilities {
    /// The network de-duplicates a repeated publish with the same key by itself.
    pub native_idempotency: bool,
    /// `find_published` can tell whether a post with a given key exists.
    pub can_verify: bool,
}

#[async_trait]
pub trait Connector: Send + Sync {
    fn network(&self) -> Network;

    fn capabilities(&self) -> Capabilities;

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError>;

    /// Looks for a post made with `idempotency_key`: the check run before retrying an attempt
    /// whose outcome is unknown.
    async fn find_published(&self, account: &AccountContext, idempotency_key: &str) -> Result<Option<Published>, PublishError>;

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError>;

    /// The authorization URL for connecting an account (OAuth 2.0 + PKCE). Networks that need
    /// no authorization (the sandbox) say so.
    async fn authorize(&self, _redirect_uri: &str) -> Result<Authorization, PublishError> {
        Err(unsupported(self.network(), "connecting through OAuth"))
    }

    /// Trades the code the person came back with for tokens.
    async fn exchange(&self, _code: &str, _pkce_verifier: &str, _redirect_uri: &str) -> Result<Tokens, PublishError> {
        Err(unsupported(self.network(), "connecting through OAuth"))
    }

    /// New tokens before the access token expires.
    async fn refresh(&self, _refresh_token: &str) -> Result<Tokens, PublishError> {
        Err(unsupported(self.network(), "refreshing tokens"))
    }

    async fn metrics(&self, _account: &AccountContext, _platform_post_id: &str) -> Result<PostMetrics, PublishError> {
        Err(unsupported(self.network(), "metrics"))
    }

    /// Comments and messages newer than `since` (an opaque cursor the network gave before).
    async fn inbox(&self, _account: &AccountContext, _since: Option<&str>) -> Result<Vec<InboxItem>, PublishError> {
        Err(unsupported(self.network(), "an inbox"))
    }
}

/// The answer of a connector asked for something its network (or this build of it) lacks.
pub fn unsupported(network: Network, what: &str) -> PublishError {
    PublishError::Permanent { message: format!("{} does not support {what} here", network.label()) }
}
