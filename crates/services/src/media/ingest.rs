//! Ingestion: from a complete file on local disk to a stored, probed asset. The file's type is
//! sniffed from its bytes, its size checked against the workspace's plan, its SHA-256 compared
//! with the library's (the same file twice is one asset), then it is probed, cleaned (EXIF
//! orientation applied, location stripped), thumbnailed and stored.

use std::path::Path;

use bytes::Bytes;
use serde_json::{Map, Value, json};
use sha2::Digest;
use tokio::io::AsyncReadExt;
use zenalto_domain::{MediaId, Permission, publishing::MediaKind};
use zenalto_media::{Sniffed, probe, sniff::HEAD_BYTES, video};
use zenalto_settings::PlanLimits;
use zenalto_store::{
    StoreError,
    repo::{media, media::AssetRow, workspaces},
};

use super::{AssetView, asset_prefix, kind_str};
use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

/// A file to add to the library.
pub(crate) struct Incoming<'a> {
    pub file: &'a Path,
    pub name: &'a str,
    pub folder_id: Option<String>,
}

/// The stored asset, and whether it was already in the library (same content hash).
#[derive(Clone, Debug)]
pub struct Ingested {
    pub asset: AssetView,
    pub duplicate: bool,
}

/// What probing produced, ready to store.
struct Probed {
    stored: Option<Bytes>,
    thumbnail: Option<Vec<u8>>,
    width: Option<u32>,
    height: Option<u32>,
    duration_ms: Option<u64>,
    codec: Option<String>,
    colors: Vec<String>,
    notes: Map<String, Value>,
}

pub(crate) fn storage_error(e: zenalto_media::StorageError) -> ServiceError {
    ServiceError::internal(e)
}

fn io_error(e: std::io::Error) -> ServiceError {
    ServiceError::internal(format!("media file: {e}"))
}

fn limit_for(limits: &PlanLimits, kind: MediaKind) -> u64 {
    match kind {
        MediaKind::Image => limits.max_image_bytes,
        MediaKind::Gif => limits.max_gif_bytes,
        MediaKind::Video => limits.max_video_bytes,
    }
}

/// A name safe to show and search: trimmed, no path, at most 200 characters.
pub(crate) fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() { "untitled".to_owned() } else { name }
}

impl Services {
    /// The plan limits of the caller's workspace.
    pub(crate) async fn plan_limits(&self, access: &Access) -> Result<PlanLimits> {
        let mut conn = self.db.read().await?;
        let workspace = workspaces::get(&mut conn, access.workspace_id).await?.ok_or(ServiceError::NotFound)?;
        Ok(self.settings.media.limits(&workspace.plan))
    }

    /// Refuses a declared or actual size above the plan's largest file of any kind, or one that
    /// would take the workspace past its storage quota.
    pub(crate) async fn check_size(&self, access: &Access, kind: Option<MediaKind>, size: u64) -> Result<()> {
        let limits = self.plan_limits(access).await?;
        let max = match kind {
            Some(kind) => limit_for(&limits, kind),
            None => limits.max_image_bytes.max(limits.max_gif_bytes).max(limits.max_video_bytes),
        };
        if size > max {
            let what = kind.map_or("file", |k| k.noun());
            return Err(ServiceError::TooLarge(format!("this {what} is {size} bytes; your plan accepts up to {max} bytes")));
        }
        let mut conn = self.db.read().await?;
        let used = u64::try_from(media::total_bytes(&mut conn, access.workspace_id).await?).unwrap_or_default();
        if used.saturating_add(size) > limits.max_storage_bytes {
            return Err(ServiceError::TooLarge(format!(
                "the library holds {used} bytes; this file would pass your plan's {} bytes of storage",
                limits.max_storage_bytes
            )));
        }
        Ok(())
    }

    /// Adds a complete file to the library (post:create).
    pub(crate) async fn ingest(&self, access: &Access, incoming: Incoming<'_>, meta: &RequestMeta) -> Result<Ingested> {
        access.require(Permission::PostCreate)?;
        let mut file = tokio::fs::File::open(incoming.file).await.map_err(io_error)?;
        let size = file.metadata().await.map_err(io_error)?.len();
        let mut head = Vec::with_capacity(HEAD_BYTES);
        (&mut file).take(HEAD_BYTES as u64).read_to_end(&mut head).await.map_err(io_error)?;
        let sniffed = zenalto_media::sniff(&head).map_err(|found| {
            ServiceError::UnsupportedMedia(match found {
                Some(mime) => format!("this file is {mime}, whatever its name says; upload a JPEG, PNG, WebP or GIF image or an MP4, MOV or WebM video"),
                None => "this file is not an image or video the library accepts (JPEG, PNG, WebP, GIF, MP4, MOV, WebM)".to_owned(),
            })
        })?;
        self.check_size(access, Some(sniffed.kind), size).await?;
        let sha256 = hash_file(incoming.file).await?;
        if let Some(existing) = self.existing(access, &sha256).await? {
            return Ok(Ingested { asset: existing, duplicate: true });
        }
        let id = MediaId::new();
        let prefix = asset_prefix(&access.workspace_id.to_string(), &id.to_string());
        let probed = self.probe(incoming.file, &sniffed).await?;
        let storage_key = format!("{prefix}original.{}", sniffed.ext);
        let stored_bytes = match &probed.stored {
            Some(bytes) => {
                self.media.put(&storage_key, bytes.clone()).await.map_err(storage_error)?;
                bytes.len() as u64
            }
            None => {
                self.media.put_file(&storage_key, incoming.file).await.map_err(storage_error)?;
                size
            }
        };
        let thumb_key = match &probed.thumbnail {
            Some(thumb) => {
                let key = format!("{prefix}thumb.jpg");
                self.media.put(&key, Bytes::from(thumb.clone())).await.map_err(storage_error)?;
                Some(key)
            }
            None => None,
        };
        let now = self.now();
        let row = AssetRow {
            id,
            workspace_id: access.workspace_id,
            folder_id: incoming.folder_id,
            name: clean_name(incoming.name),
            kind: kind_str(sniffed.kind).to_owned(),
            mime: sniffed.mime.to_owned(),
            bytes: i64::try_from(stored_bytes).map_err(ServiceError::internal)?,
            sha256: sha256.clone(),
            storage_key,
            thumb_key,
            width: probed.width.map(i64::from),
            height: probed.height.map(i64::from),
            duration_ms: probed.duration_ms.and_then(|d| i64::try_from(d).ok()),
            codec: probed.codec,
            colors: serde_json::to_string(&probed.colors).map_err(ServiceError::internal)?,
            probe: Value::Object(probed.notes).to_string(),
            alt_text: None,
            tags: "[]".into(),
            uploaded_by: access.actor.user_id.map(|u| u.to_string()),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db.begin().await?;
        match media::insert(&mut tx, &row).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                // The same file finished uploading in another request meanwhile: keep that one.
                drop(tx);
                self.media.delete_prefix(&prefix).await.map_err(storage_error)?;
                let existing = self.existing(access, &sha256).await?.ok_or(ServiceError::NotFound)?;
                return Ok(Ingested { asset: existing, duplicate: true });
            }
            Err(e) => return Err(e.into()),
        }
        let event = audit::Event {
            action: "media.upload",
            resource_type: "media",
            resource_id: Some(id.to_string()),
            changes: Some(json!({ "name": row.name, "mime": row.mime, "bytes": row.bytes })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Ingested { asset: AssetView::try_from(row)?, duplicate: false })
    }

    async fn existing(&self, access: &Access, sha256: &str) -> Result<Option<AssetView>> {
        let mut conn = self.db.read().await?;
        media::find_by_hash(&mut conn, access.workspace_id, sha256).await?.map(AssetView::try_from).transpose()
    }

    async fn probe(&self, file: &Path, sniffed: &Sniffed) -> Result<Probed> {
        let mut notes = Map::new();
        if sniffed.kind == MediaKind::Video {
            let facts = video::probe_video(&self.settings.media.ffprobe, file).await;
            if let Some(message) = &facts.capability {
                notes.insert("capability".into(), json!(message));
            }
            let thumbnail = video::poster(&self.settings.media.ffmpeg, file, probe::THUMB_SIDE).await;
            return Ok(Probed {
                stored: None,
                thumbnail,
                width: facts.width,
                height: facts.height,
                duration_ms: facts.duration_ms,
                codec: facts.codec,
                colors: Vec::new(),
                notes,
            });
        }
        let data = tokio::fs::read(file).await.map_err(io_error)?;
        let sniffed = *sniffed;
        // A file whose header says image but whose body does not decode is refused like any
        // other file that is not what it claims.
        let probed = tokio::task::spawn_blocking(move || probe::probe_image(&data, &sniffed))
            .await
            .map_err(ServiceError::internal)?
            .map_err(|e| ServiceError::UnsupportedMedia(e.to_string()))?;
        if probed.cleaned.is_some() {
            notes.insert("metadataRemoved".into(), json!(true));
        }
        notes.insert("locationRemoved".into(), json!(probed.location_removed));
        notes.insert("orientationApplied".into(), json!(probed.orientation_applied));
        Ok(Probed {
            stored: probed.cleaned.map(Bytes::from),
            thumbnail: Some(probed.thumbnail),
            width: Some(probed.width),
            height: Some(probed.height),
            duration_ms: None,
            codec: None,
            colors: probed.colors,
            notes,
        })
    }
}

/// SHA-256 of a file, read in pieces.
async fn hash_file(path: &Path) -> Result<String> {
    let mut file = tokio::fs::File::open(path).await.map_err(io_error)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).await.map_err(io_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
