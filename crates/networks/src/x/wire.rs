//! X API v2 JSON shapes, as the reference pages describe them (only the fields the adapter uses).

use serde::{Deserialize, Serialize};

/// `{"data": …}`, the envelope of every v2 answer.
#[derive(Deserialize)]
pub struct Data<T> {
    pub data: T,
}

/// `{"data": [...], "includes": …, "meta": …}` of a timeline; `data` is absent when it is empty.
#[derive(Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub includes: Includes,
    #[serde(default)]
    pub meta: Meta,
}

#[derive(Default, Deserialize)]
pub struct Includes {
    #[serde(default)]
    pub users: Vec<User>,
}

#[derive(Default, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub newest_id: Option<String>,
}

/// `POST /2/tweets` body.
#[derive(Serialize)]
pub struct NewTweet<'a> {
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<NewMedia>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
}

#[derive(Serialize)]
pub struct NewMedia {
    pub media_ids: Vec<String>,
}

#[derive(Serialize)]
pub struct Reply {
    pub in_reply_to_tweet_id: String,
}

#[derive(Deserialize)]
pub struct Created {
    pub id: String,
}

#[derive(Deserialize)]
pub struct Tweet {
    pub id: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub author_id: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub referenced_tweets: Vec<Referenced>,
    #[serde(default)]
    pub public_metrics: Option<PublicMetrics>,
    #[serde(default)]
    pub non_public_metrics: Option<NonPublicMetrics>,
}

#[derive(Deserialize)]
pub struct Referenced {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[derive(Default, Deserialize)]
pub struct PublicMetrics {
    pub retweet_count: Option<u64>,
    pub reply_count: Option<u64>,
    pub like_count: Option<u64>,
    pub quote_count: Option<u64>,
    pub bookmark_count: Option<u64>,
    pub impression_count: Option<u64>,
}

#[derive(Default, Deserialize)]
pub struct NonPublicMetrics {
    pub impression_count: Option<u64>,
    pub url_link_clicks: Option<u64>,
    pub user_profile_clicks: Option<u64>,
}

#[derive(Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub public_metrics: Option<UserMetrics>,
}

#[derive(Deserialize)]
pub struct UserMetrics {
    pub followers_count: Option<u64>,
    pub following_count: Option<u64>,
    pub tweet_count: Option<u64>,
}

/// One event of `GET /2/dm_events`.
#[derive(Deserialize)]
pub struct DmEvent {
    pub id: String,
    #[serde(default)]
    pub event_type: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub sender_id: Option<String>,
    #[serde(default)]
    pub dm_conversation_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Deserialize)]
pub struct DmSent {
    pub dm_event_id: String,
}

/// The media upload answers (initialize, finalize, status).
#[derive(Deserialize)]
pub struct Upload {
    pub id: String,
    #[serde(default)]
    pub processing_info: Option<Processing>,
}

#[derive(Deserialize)]
pub struct Processing {
    /// `pending`, `in_progress`, `succeeded`, `failed`.
    pub state: String,
    #[serde(default)]
    pub check_after_secs: Option<u64>,
    #[serde(default)]
    pub error: Option<ProcessingError>,
}

#[derive(Deserialize)]
pub struct ProcessingError {
    #[serde(default)]
    pub message: Option<String>,
}

/// An error answer: an RFC 7807 problem (`title`, `detail`, `type`) or the older
/// `{"errors":[{"message","code"}]}`.
#[derive(Default, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub errors: Vec<ProblemItem>,
}

#[derive(Default, Deserialize)]
pub struct ProblemItem {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

impl Problem {
    /// Everything the body says, in one line.
    pub fn text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(self.title.as_deref());
        parts.extend(self.detail.as_deref());
        for item in &self.errors {
            parts.extend(item.message.as_deref());
            parts.extend(item.detail.as_deref());
        }
        parts.join(": ")
    }
}
