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
}
