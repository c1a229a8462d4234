//! The YouTube Data API v3 resources the adapter reads (only the fields it uses).
//! <https://developers.google.com/youtube/v3/docs>

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct List<T> {
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Channel {
    pub id: String,
    #[serde(default)]
    pub snippet: Option<ChannelSnippet>,
    #[serde(default)]
    pub statistics: Option<ChannelStatistics>,
    #[serde(default)]
    pub content_details: Option<ChannelContentDetails>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelSnippet {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub custom_url: Option<String>,
}

/// Counts come as strings in the Data API.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelStatistics {
    #[serde(default)]
    pub subscriber_count: Option<String>,
    #[serde(default)]
    pub video_count: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelContentDetails {
    pub related_playlists: RelatedPlaylists,
}

#[derive(Deserialize)]
pub(super) struct RelatedPlaylists {
    #[serde(default)]
    pub uploads: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Video {
    pub id: String,
    #[serde(default)]
    pub status: Option<VideoStatus>,
    #[serde(default)]
    pub processing_details: Option<ProcessingDetails>,
    #[serde(default)]
    pub statistics: Option<VideoStatistics>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VideoStatus {
    /// `uploaded`, `processed`, `failed`, `rejected`, `deleted`.
    #[serde(default)]
    pub upload_status: Option<String>,
    #[serde(default)]
    pub failure_reason: Option<String>,
    #[serde(default)]
    pub rejection_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProcessingDetails {
    /// `processing`, `succeeded`, `failed`, `terminated`.
    #[serde(default)]
    pub processing_status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VideoStatistics {
    #[serde(default)]
    pub view_count: Option<String>,
    #[serde(default)]
    pub like_count: Option<String>,
    #[serde(default)]
    pub comment_count: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PlaylistItem {
    pub snippet: PlaylistItemSnippet,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PlaylistItemSnippet {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub resource_id: ResourceId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResourceId {
    #[serde(default)]
    pub video_id: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct CommentThread {
    pub snippet: CommentThreadSnippet,
    #[serde(default)]
    pub replies: Option<Replies>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CommentThreadSnippet {
    #[serde(default)]
    pub video_id: Option<String>,
    pub top_level_comment: Comment,
}

#[derive(Deserialize)]
pub(super) struct Replies {
    #[serde(default)]
    pub comments: Vec<Comment>,
}

#[derive(Deserialize)]
pub(super) struct Comment {
    pub id: String,
    pub snippet: CommentSnippet,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CommentSnippet {
    #[serde(default)]
    pub author_display_name: String,
    #[serde(default)]
    pub author_channel_id: Option<AuthorChannelId>,
    #[serde(default)]
    pub text_original: Option<String>,
    #[serde(default)]
    pub text_display: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub video_id: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct AuthorChannelId {
    pub value: String,
}

/// A count as the Data API sends it (a decimal string).
pub(super) fn count(raw: Option<&String>) -> Option<u64> {
    raw.and_then(|s| s.parse().ok())
}
