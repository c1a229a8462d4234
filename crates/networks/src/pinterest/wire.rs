//! The Pinterest v5 payloads the adapter reads (only the fields it uses).

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct UserAccount {
    pub username: String,
    #[serde(default)]
    pub business_name: Option<String>,
    #[serde(default)]
    pub follower_count: Option<u64>,
    #[serde(default)]
    pub following_count: Option<u64>,
    #[serde(default)]
    pub pin_count: Option<u64>,
    #[serde(default)]
    pub monthly_views: Option<i64>,
}

#[derive(Deserialize)]
pub(super) struct Page<T> {
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

#[derive(Deserialize)]
pub(super) struct Board {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
pub(super) struct Pin {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /v5/media`.
#[derive(Deserialize)]
pub(super) struct MediaUpload {
    pub media_id: String,
    pub upload_url: String,
    #[serde(default)]
    pub upload_parameters: BTreeMap<String, String>,
}

/// `GET /v5/media/{media_id}`: `registered`, `processing`, `succeeded` or `failed`.
#[derive(Deserialize)]
pub(super) struct MediaStatus {
    pub status: String,
}

/// `GET /v5/pins/{pin_id}/analytics`: metrics summed over the window under `all`.
#[derive(Deserialize)]
pub(super) struct PinAnalytics {
    pub all: Option<AnalyticsBlock>,
}

#[derive(Deserialize)]
pub(super) struct AnalyticsBlock {
    #[serde(default)]
    pub summary_metrics: BTreeMap<String, f64>,
}
