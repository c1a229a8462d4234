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

/// `chat.bsky.convo.listConvos`.
#[derive(Deserialize)]
pub struct Convos {
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub convos: Vec<ConvoView>,
}

/// `chat.bsky.convo.defs#convoView`: the members carry the handles that messages lack.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConvoView {
    pub id: String,
    #[serde(default)]
    pub members: Vec<Author>,
    #[serde(default)]
    pub last_message: Option<MessageView>,
}

/// `chat.bsky.convo.getMessages`, newest first.
#[derive(Deserialize)]
pub struct Messages {
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub messages: Vec<MessageView>,
}

/// `chat.bsky.convo.defs#messageView`, or a `#deletedMessageView` (no `text`), as
/// `sendMessage` also answers.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
    pub sender: Sender,
    pub sent_at: String,
}

#[derive(Deserialize)]
pub struct Sender {
    pub did: String,
}
