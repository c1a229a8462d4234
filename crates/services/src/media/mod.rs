//! The media library's use cases: uploads (one request, or a resumable session of chunks),
//! ingestion (sniffing, plan limits, duplicates, probing, thumbnails), the library itself
//! (folders, tags, search, alt text, usage, bulk edits), serving (signed URLs, ranges) and
//! per-network derivatives. Files go through `zenalto_media::Storage`; rows through the store.

mod derivatives;
mod facts;
mod folders;
mod ingest;
mod library;
mod serve;
mod orphans;
mod upload;
mod video_derivative;

use std::collections::BTreeMap;

use zenalto_domain::{MediaId, Timestamp, publishing::MediaKind};
use zenalto_store::repo::media::AssetRow;

pub use derivatives::Derivative;
pub use facts::media_facts;
pub use folders::Folder;
pub use ingest::Ingested;
pub use library::{AssetFilter, AssetUpdate, BulkAction, BulkOutcome, Performance, Usage};
pub use serve::{Content, SignedUrl};
pub use upload::{NewUpload, UploadStatus};

use crate::{Result, ServiceError};

/// An asset as use cases return it.
#[derive(Clone, Debug)]
pub struct AssetView {
    pub id: MediaId,
    pub folder_id: Option<String>,
    pub name: String,
    pub kind: MediaKind,
    pub mime: String,
    pub bytes: u64,
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    pub codec: Option<String>,
    pub colors: Vec<String>,
    /// What probing did or could not do, e.g. `{"locationRemoved": true}` or a `capability` message.
    pub probe: BTreeMap<String, serde_json::Value>,
    pub alt_text: Option<String>,
    pub tags: Vec<String>,
    pub has_thumbnail: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub(crate) fn kind_str(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "image",
        MediaKind::Gif => "gif",
        MediaKind::Video => "video",
    }
}

pub(crate) fn parse_kind(raw: &str) -> Option<MediaKind> {
    match raw {
        "image" => Some(MediaKind::Image),
        "gif" => Some(MediaKind::Gif),
        "video" => Some(MediaKind::Video),
        _ => None,
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::internal(format!("stored media {what} is invalid: {e}"))
}

fn dimension(value: Option<i64>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok())
}

impl TryFrom<AssetRow> for AssetView {
    type Error = ServiceError;
    fn try_from(row: AssetRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            folder_id: row.folder_id,
            name: row.name,
            kind: parse_kind(&row.kind).ok_or_else(|| corrupt("kind", &row.kind))?,
            mime: row.mime,
            bytes: u64::try_from(row.bytes).unwrap_or_default(),
            sha256: row.sha256,
            width: dimension(row.width),
            height: dimension(row.height),
            duration_ms: row.duration_ms.and_then(|d| u64::try_from(d).ok()),
            codec: row.codec,
            colors: serde_json::from_str(&row.colors).map_err(|e| corrupt("colors", e))?,
            probe: serde_json::from_str(&row.probe).map_err(|e| corrupt("probe", e))?,
            alt_text: row.alt_text,
            tags: serde_json::from_str(&row.tags).map_err(|e| corrupt("tags", e))?,
            has_thumbnail: row.thumb_key.is_some(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Where an asset's files live in the media storage.
pub(crate) fn asset_prefix(row_workspace: &str, id: &str) -> String {
    format!("assets/{row_workspace}/{id}/")
}

/// The API name of a kind: `image`, `gif`, `video`.
pub fn kind_name(kind: MediaKind) -> &'static str {
    kind_str(kind)
}
