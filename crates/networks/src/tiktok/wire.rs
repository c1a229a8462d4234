//! The TikTok v2 payloads the adapter reads (only the fields it uses).

use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct UserData {
    pub user: User,
}

#[derive(Deserialize)]
pub(super) struct User {
    #[serde(default)]
    pub open_id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub follower_count: Option<u64>,
    #[serde(default)]
    pub following_count: Option<u64>,
    #[serde(default)]
    pub video_count: Option<u64>,
}

/// `POST /v2/post/publish/creator_info/query/`.
#[derive(Deserialize)]
pub(super) struct CreatorInfo {
    #[serde(default)]
    pub privacy_level_options: Vec<String>,
    #[serde(default)]
    pub max_video_post_duration_sec: Option<u64>,
    #[serde(default)]
    pub comment_disabled: bool,
    #[serde(default)]
    pub duet_disabled: bool,
    #[serde(default)]
    pub stitch_disabled: bool,
}

#[derive(Deserialize)]
pub(super) struct Init {
    pub publish_id: String,
    #[serde(default)]
    pub upload_url: Option<String>,
}

/// `POST /v2/post/publish/status/fetch/`. TikTok spells the post ids field
/// `publicaly_available_post_id`.
#[derive(Deserialize)]
pub(super) struct Status {
    pub status: String,
    #[serde(default)]
    pub fail_reason: Option<String>,
    #[serde(default, rename = "publicaly_available_post_id")]
    pub post_ids: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
pub(super) struct Videos {
    #[serde(default)]
    pub videos: Vec<Video>,
}

#[derive(Deserialize)]
pub(super) struct Video {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub video_description: Option<String>,
    #[serde(default)]
    pub share_url: Option<String>,
    #[serde(default)]
    pub like_count: Option<u64>,
    #[serde(default)]
    pub comment_count: Option<u64>,
    #[serde(default)]
    pub share_count: Option<u64>,
    #[serde(default)]
    pub view_count: Option<u64>,
}

/// The token endpoint's answer: tokens, or `{"error","error_description","log_id"}`.
#[derive(Deserialize)]
pub(super) struct TokenResponse {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
}
