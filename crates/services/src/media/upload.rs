//! Uploads. Small files arrive in one multipart request. Large ones use a resumable session:
//! create it with the total size, type and name; send chunks, each with its byte offset; after a
//! dropped connection ask for the confirmed offset and carry on from there; then complete. Each
//! chunk is stored as its own object before the offset moves, so a chunk cut off mid-way leaves
//! no trace and the offset never runs ahead of what is stored.

use bytes::Bytes;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use zenalto_domain::{MediaFolderId, Permission, Timestamp, UploadId, publishing::MediaKind};
use zenalto_media::sniff::HEAD_BYTES;
use zenalto_store::{
    StoreError,
    repo::{media_folders, media_uploads, media_uploads::UploadRow},
};

use super::{
    ingest::{Incoming, Ingested, clean_name, storage_error},
};
use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

/// A resumable upload to open.
#[derive(Clone, Debug)]
pub struct NewUpload {
    pub name: String,
    pub mime: String,
    pub total_bytes: u64,
    pub folder_id: Option<String>,
}

/// Where a resumable upload stands.
#[derive(Clone, Debug)]
pub struct UploadStatus {
    pub id: UploadId,
    pub name: String,
    pub mime: String,
    pub total_bytes: u64,
    /// The confirmed offset: every byte before it is stored; the next chunk starts here.
    pub received_bytes: u64,
    pub expires_at: Timestamp,
}

impl From<&UploadRow> for UploadStatus {
    fn from(row: &UploadRow) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            mime: row.declared_mime.clone(),
            total_bytes: u64::try_from(row.total_bytes).unwrap_or_default(),
            received_bytes: u64::try_from(row.received_bytes).unwrap_or_default(),
            expires_at: Timestamp::from_millis(row.expires_at),
        }
    }
}

fn chunk_key(id: UploadId, offset: i64) -> String {
    format!("uploads/{id}/{offset:020}")
}

/// The kind a declared type announces (checked again against the bytes on completion).
fn declared_kind(mime: &str) -> Result<MediaKind> {
    let mime = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match mime.as_str() {
        "image/gif" => Ok(MediaKind::Gif),
        m if m.starts_with("image/") => Ok(MediaKind::Image),
        m if m.starts_with("video/") => Ok(MediaKind::Video),
        _ => Err(ServiceError::UnsupportedMedia(format!("{mime} is not an image or video type the library accepts"))),
    }
}

impl Services {
    /// A folder id given by a client, checked to exist in the workspace.
    pub(crate) async fn folder_in_workspace(&self, access: &Access, raw: Option<&str>) -> Result<Option<String>> {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else { return Ok(None) };
        let id: MediaFolderId = raw.parse().map_err(|_| ServiceError::field("folderId", "no such folder"))?;
        let mut conn = self.db.read().await?;
        media_folders::get(&mut conn, access.workspace_id, id).await?.ok_or_else(|| ServiceError::field("folderId", "no such folder"))?;
        Ok(Some(id.to_string()))
    }

    /// A temporary file in the data folder (same disk as a local media store).
    fn temp_file(&self) -> Result<tempfile::NamedTempFile> {
        let dir = self.settings.data_dir.join("tmp");
        std::fs::create_dir_all(&dir).map_err(ServiceError::internal)?;
        tempfile::NamedTempFile::new_in(&dir).map_err(ServiceError::internal)
    }

    /// Adds a file sent in one request (post:create).
    pub async fn upload_media(&self, access: &Access, name: &str, folder_id: Option<&str>, bytes: Bytes, meta: &RequestMeta) -> Result<Ingested> {
        access.require(Permission::PostCreate)?;
        if bytes.is_empty() {
            return Err(ServiceError::field("file", "the file is empty"));
        }
        let folder_id = self.folder_in_workspace(access, folder_id).await?;
        let temp = self.temp_file()?;
        tokio::fs::write(temp.path(), &bytes).await.map_err(ServiceError::internal)?;
        self.ingest(access, Incoming { file: temp.path(), name, folder_id }, meta).await
    }

    /// Opens a resumable upload (post:create). The declared size is checked against the plan
    /// now, so nobody sends a gigabyte to hear it was too large.
    pub async fn create_upload(&self, access: &Access, new: NewUpload) -> Result<UploadStatus> {
        access.require(Permission::PostCreate)?;
        if new.total_bytes == 0 {
            return Err(ServiceError::field("totalBytes", "must be at least 1"));
        }
        let kind = declared_kind(&new.mime)?;
        self.check_size(access, Some(kind), new.total_bytes).await?;
        let folder_id = self.folder_in_workspace(access, new.folder_id.as_deref()).await?;
        let now = self.now();
        let row = UploadRow {
            id: UploadId::new(),
            workspace_id: access.workspace_id,
            name: clean_name(&new.name),
            declared_mime: new.mime.trim().to_ascii_lowercase(),
            total_bytes: i64::try_from(new.total_bytes).map_err(|_| ServiceError::field("totalBytes", "too large"))?,
            received_bytes: 0,
            chunks: 0,
            folder_id,
            created_by: access.actor.user_id.map(|u| u.to_string()),
            created_at: now,
            expires_at: now.plus_seconds(self.settings.media.upload_ttl_secs).as_millis(),
        };
        let mut tx = self.db.begin().await?;
        media_uploads::insert(&mut tx, &row).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(UploadStatus::from(&row))
    }

    async fn upload_row(&self, access: &Access, id: UploadId) -> Result<UploadRow> {
        let mut conn = self.db.read().await?;
        media_uploads::get(&mut conn, access.workspace_id, id, self.now()).await?.ok_or(ServiceError::NotFound)
    }

    /// Where an upload stands: the offset to resume from (post:create).
    pub async fn upload_status(&self, access: &Access, id: UploadId) -> Result<UploadStatus> {
        access.require(Permission::PostCreate)?;
        Ok(UploadStatus::from(&self.upload_row(access, id).await?))
    }

    /// Stores one chunk starting at `offset`, which must be the confirmed offset (post:create).
    pub async fn put_chunk(&self, access: &Access, id: UploadId, offset: u64, chunk: Bytes) -> Result<UploadStatus> {
        access.require(Permission::PostCreate)?;
        let row = self.upload_row(access, id).await?;
        let offset = i64::try_from(offset).map_err(|_| ServiceError::field("offset", "too large"))?;
        if offset != row.received_bytes {
            return Err(ServiceError::Conflict {
                field: Some("offset".into()),
                message: format!("this upload continues at byte {}; send the chunk that starts there", row.received_bytes),
            });
        }
        if chunk.is_empty() {
            return Err(ServiceError::field("chunk", "the chunk is empty"));
        }
        let len = i64::try_from(chunk.len()).map_err(ServiceError::internal)?;
        if offset + len > row.total_bytes {
            return Err(ServiceError::field("chunk", format!("the chunk ends at byte {}, past the declared {} bytes", offset + len, row.total_bytes)));
        }
        if offset == 0 && (chunk.len() >= HEAD_BYTES || len == row.total_bytes) {
            // Refuse a disguised file at its first chunk rather than after the last.
            if let Err(found) = zenalto_media::sniff(&chunk[..chunk.len().min(HEAD_BYTES)]) {
                self.drop_upload(access, id).await?;
                return Err(ServiceError::UnsupportedMedia(match found {
                    Some(mime) => format!("this file is {mime}, whatever its name says; the upload was cancelled"),
                    None => "this file is not an image or video the library accepts; the upload was cancelled".into(),
                }));
            }
        }
        self.media.put(&chunk_key(id, offset), chunk).await.map_err(storage_error)?;
        let mut tx = self.db.begin().await?;
        if !media_uploads::advance(&mut tx, access.workspace_id, id, offset, len).await? {
            return Err(ServiceError::Conflict { field: Some("offset".into()), message: "another chunk was stored at this offset first; ask for the upload's offset".into() });
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(UploadStatus { received_bytes: u64::try_from(offset + len).unwrap_or_default(), ..UploadStatus::from(&row) })
    }

    /// Assembles the chunks and adds the file to the library (post:create).
    pub async fn complete_upload(&self, access: &Access, id: UploadId, meta: &RequestMeta) -> Result<Ingested> {
        access.require(Permission::PostCreate)?;
        let row = self.upload_row(access, id).await?;
        if row.received_bytes != row.total_bytes {
            return Err(ServiceError::Conflict {
                field: Some("offset".into()),
                message: format!("{} of {} bytes have arrived; send the rest from byte {} first", row.received_bytes, row.total_bytes, row.received_bytes),
            });
        }
        let temp = self.temp_file()?;
        let mut file = tokio::fs::File::create(temp.path()).await.map_err(ServiceError::internal)?;
        let mut offset = 0i64;
        while offset < row.total_bytes {
            let written = self.media.append_to(&chunk_key(id, offset), &mut file).await.map_err(storage_error)?;
            if written == 0 {
                return Err(ServiceError::internal(format!("upload {id}: empty chunk at {offset}")));
            }
            offset += i64::try_from(written).map_err(ServiceError::internal)?;
        }
        file.flush().await.map_err(ServiceError::internal)?;
        drop(file);
        let ingested = self.ingest(access, Incoming { file: temp.path(), name: &row.name, folder_id: row.folder_id.clone() }, meta).await;
        // The session ends whatever ingestion decided: a refused file is refused for good.
        self.drop_upload(access, id).await?;
        let ingested = ingested?;
        if ingested.duplicate {
            let mut tx = self.db.begin().await?;
            let event = audit::Event { action: "media.upload_duplicate", resource_type: "media", resource_id: Some(ingested.asset.id.to_string()), changes: Some(json!({ "upload": id.to_string() })) };
            audit::record(&mut tx, access, meta, event, self).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(ingested)
    }

    /// Removes upload sessions that expired unfinished, chunks first (run by the sweep).
    pub async fn sweep_media_uploads(&self) -> Result<usize> {
        let mut conn = self.db.read().await?;
        let expired = media_uploads::expired(&mut conn, self.now(), 100).await?;
        drop(conn);
        for row in &expired {
            self.media.delete_prefix(&format!("uploads/{}/", row.id)).await.map_err(storage_error)?;
            let mut tx = self.db.begin().await?;
            media_uploads::delete(&mut tx, row.workspace_id, row.id).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(expired.len())
    }

    /// Removes an upload session and its chunks.
    async fn drop_upload(&self, access: &Access, id: UploadId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        media_uploads::delete(&mut tx, access.workspace_id, id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.media.delete_prefix(&format!("uploads/{id}/")).await.map_err(storage_error)
    }
}
