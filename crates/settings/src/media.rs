//! The media library: where files live, how large uploads may be per workspace plan, how long
//! signed URLs last, and where the video tools are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zenalto_domain::Secret;

/// Where media files are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaStorageKind {
    /// Files under `<data_dir>/media`.
    Local,
    /// Any S3-compatible object store (`[media.s3]`).
    S3,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaSettings {
    /// `local` (the data folder) or `s3`.
    pub storage: MediaStorageKind,
    /// Largest file accepted by the one-request multipart upload; larger files use a resumable
    /// upload session.
    pub simple_upload_max_bytes: usize,
    /// Largest chunk of a resumable upload.
    pub chunk_max_bytes: usize,
    /// How long an unfinished upload session may be resumed.
    pub upload_ttl_secs: i64,
    /// Lifetime of signed media URLs.
    pub signed_url_ttl_secs: i64,
    /// ffprobe and ffmpeg (Debian's `ffmpeg` package); a bare name is looked up in `PATH`.
    /// Without them videos are stored unprobed and the asset says so.
    pub ffprobe: String,
    pub ffmpeg: String,
    /// Limits per workspace plan (the workspace's `plan`); a plan not listed here uses `free`.
    pub plans: BTreeMap<String, PlanLimits>,
    pub s3: S3Settings,
}

/// What one plan allows. Sizes in bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanLimits {
    pub max_image_bytes: u64,
    pub max_gif_bytes: u64,
    pub max_video_bytes: u64,
    /// All original files of a workspace together (derivatives and thumbnails not counted).
    pub max_storage_bytes: u64,
}

/// An S3-compatible store (AWS, MinIO, Ceph, Garage, moto…).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Settings {
    /// Empty for AWS itself; `http://127.0.0.1:9000` for a local store.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: Secret<String>,
    pub secret_access_key: Secret<String>,
    /// `bucket` in the path instead of the host name (most self-hosted stores need it).
    pub path_style: bool,
    /// Prefix for every object key, so one bucket can hold several installations.
    pub prefix: String,
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            storage: MediaStorageKind::Local,
            simple_upload_max_bytes: 20 * 1024 * 1024,
            chunk_max_bytes: 8 * 1024 * 1024,
            upload_ttl_secs: 24 * 3600,
            signed_url_ttl_secs: 3600,
            ffprobe: "ffprobe".into(),
            ffmpeg: "ffmpeg".into(),
            plans: BTreeMap::from([("free".to_owned(), PlanLimits::default())]),
            s3: S3Settings::default(),
        }
    }
}

impl Default for PlanLimits {
    fn default() -> Self {
        Self { max_image_bytes: 20_000_000, max_gif_bytes: 15_000_000, max_video_bytes: 1_000_000_000, max_storage_bytes: 10_000_000_000 }
    }
}

impl Default for S3Settings {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            bucket: String::new(),
            region: "us-east-1".into(),
            access_key_id: Secret::default(),
            secret_access_key: Secret::default(),
            path_style: true,
            prefix: String::new(),
        }
    }
}

impl MediaSettings {
    /// The limits of `plan`, falling back to `free`, then to the built-in defaults.
    pub fn limits(&self, plan: &str) -> PlanLimits {
        self.plans.get(plan).or_else(|| self.plans.get("free")).cloned().unwrap_or_default()
    }
}
