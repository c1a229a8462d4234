//! The JSON of the calls this adapter makes (lexicons under
//! <https://github.com/bluesky-social/atproto/tree/main/lexicons>).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `com.atproto.server.createSession` / `refreshSession` / `getSession`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(default)]
    pub access_jwt: Option<String>,
    #[serde(default)]
    pub refresh_jwt: Option<String>,
    pub did: String,
    pub handle: String,
}

/// A strong reference (`com.atproto.repo.strongRef`): what replies point at.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StrongRef {
    pub uri: String,
    pub cid: String,
}

/// `com.atproto.repo.getRecord`.
#[derive(Deserialize)]
pub struct Record {
    pub uri: String,
    #[serde(default)]
    pub cid: Option<String>,
    #[serde(default)]
    pub value: Value,
}

/// `com.atproto.repo.uploadBlob`: the blob ref is passed back verbatim in embeds.
#[derive(Deserialize)]
pub struct UploadedBlob {
    pub blob: Value,
}

/// `app.bsky.feed.getPosts`.
#[derive(Deserialize)]
pub struct Posts {
    #[serde(default)]
    pub posts: Vec<PostView>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    pub uri: String,
    #[serde(default)]
    pub like_count: Option<u64>,
    #[serde(default)]
    pub repost_count: Option<u64>,
    #[serde(default)]
    pub reply_count: Option<u64>,
    #[serde(default)]
    pub quote_count: Option<u64>,
}

/// `app.bsky.actor.getProfile`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(default)]
    pub followers_count: Option<u64>,
    #[serde(default)]
    pub follows_count: Option<u64>,
    #[serde(default)]
    pub posts_count: Option<u64>,
}

/// `app.bsky.notification.listNotifications`.
#[derive(Deserialize)]
pub struct Notifications {
    #[serde(default)]
    pub notifications: Vec<Notification>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub uri: String,
    pub author: Author,
    pub reason: String,
    #[serde(default)]
    pub record: Value,
    pub indexed_at: String,
}

#[derive(Deserialize)]
pub struct Author {
    pub did: String,
    pub handle: String,
}

/// `at://<repo>/<collection>/<rkey>` split into its parts.
pub fn split_at_uri(uri: &str) -> Option<(&str, &str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut parts = rest.splitn(3, '/');
    Some((parts.next()?, parts.next()?, parts.next()?))
}
