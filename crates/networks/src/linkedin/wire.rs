//! LinkedIn REST (Rest.li 2.0) JSON shapes the adapter reads and writes.

use serde::Deserialize;

/// `{"value": …}`, the answer of a Rest.li action (`?action=initializeUpload`).
#[derive(Deserialize)]
pub struct Action<T> {
    pub value: T,
}

/// `{"elements": [...]}` of a finder or a collection.
#[derive(Deserialize)]
pub struct Elements<T> {
    #[serde(default = "Vec::new")]
    pub elements: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageUpload {
    pub upload_url: String,
    pub image: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoUpload {
    pub video: String,
    #[serde(default)]
    pub upload_token: String,
    #[serde(default)]
    pub upload_instructions: Vec<UploadInstruction>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadInstruction {
    pub upload_url: String,
    pub first_byte: u64,
    pub last_byte: u64,
}

/// `GET /rest/videos/{urn}`: `status` is `WAITING_UPLOAD`, `PROCESSING`, `AVAILABLE` or
/// `PROCESSING_FAILED`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Video {
    pub status: String,
    #[serde(default)]
    pub processing_failure_reason: Option<String>,
}

/// OpenID Connect `userinfo`.
#[derive(Deserialize)]
pub struct UserInfo {
    pub sub: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationAcl {
    pub organization: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(default)]
    pub localized_name: String,
    #[serde(default)]
    pub vanity_name: Option<String>,
}

#[derive(Deserialize)]
pub struct Post {
    pub id: String,
    #[serde(default)]
    pub commentary: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub comment_urn: Option<String>,
    #[serde(default, rename = "$URN")]
    pub urn: Option<String>,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub message: Option<Message>,
    #[serde(default)]
    pub created: Option<Stamp>,
    #[serde(default)]
    pub parent_comment: Option<String>,
}

impl Comment {
    /// The comment's URN, whichever field this version of the API put it in.
    pub fn urn(&self) -> Option<String> {
        self.comment_urn.clone().or_else(|| self.urn.clone()).or_else(|| self.id.clone())
    }
}

#[derive(Deserialize)]
pub struct Message {
    #[serde(default)]
    pub text: String,
}

#[derive(Deserialize)]
pub struct Stamp {
    pub time: i64,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialActions {
    #[serde(default)]
    pub likes_summary: Option<LikesSummary>,
    #[serde(default)]
    pub comments_summary: Option<CommentsSummary>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LikesSummary {
    pub total_likes: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentsSummary {
    pub aggregated_total_comments: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareStatistics {
    pub total_share_statistics: ShareTotals,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareTotals {
    pub impression_count: Option<u64>,
    pub unique_impressions_count: Option<u64>,
    pub click_count: Option<u64>,
    pub like_count: Option<u64>,
    pub comment_count: Option<u64>,
    pub share_count: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSize {
    pub first_degree_size: Option<u64>,
}

/// An error answer: `{"message","serviceErrorCode","status","code"}`, with per-field details for
/// 422s (`errorDetails.inputErrors[].code`, e.g. `DUPLICATE_POST`).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub service_error_code: Option<i64>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub error_details: Option<ErrorDetails>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    #[serde(default)]
    pub input_errors: Vec<InputError>,
}

#[derive(Default, Deserialize)]
pub struct InputError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub description: String,
}
