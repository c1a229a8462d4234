//! One interface for media files: the `object_store` crate's `ObjectStore`, configured as the
//! local data folder (`<data_dir>/media`, the default) or any S3-compatible store. Keys are
//! relative (`<workspace>/<asset>/original.jpg`); the S3 prefix is added here.

use std::{ops::Range, path::Path as FsPath, sync::Arc};

use bytes::Bytes;
use futures::StreamExt;
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart, aws::AmazonS3Builder, local::LocalFileSystem, path::Path,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zenalto_settings::{MediaSettings, MediaStorageKind};

/// Parts of a multipart upload to S3 (its minimum part size is 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0} is not in the media storage")]
    NotFound(String),
    #[error("cannot configure the media storage: {0}")]
    Config(String),
    #[error("media storage failed: {0}")]
    Failed(String),
}

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { path, .. } => StorageError::NotFound(path),
            other => StorageError::Failed(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StorageError {
    fn from(e: std::io::Error) -> Self {
        StorageError::Failed(e.to_string())
    }
}

/// Where media files live. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    prefix: String,
    kind: MediaStorageKind,
}

impl Storage {
    /// The store the settings describe; the local folder is created when missing.
    pub fn from_settings(settings: &MediaSettings, data_dir: &FsPath) -> Result<Self, StorageError> {
        match settings.storage {
            MediaStorageKind::Local => {
                let dir = data_dir.join("media");
                std::fs::create_dir_all(&dir).map_err(|e| StorageError::Config(format!("{}: {e}", dir.display())))?;
                // Empty folders are removed with their last file, so deleted assets leave nothing behind.
                let store = LocalFileSystem::new_with_prefix(&dir).map_err(|e| StorageError::Config(e.to_string()))?.with_automatic_cleanup(true);
                Ok(Self { store: Arc::new(store), prefix: String::new(), kind: MediaStorageKind::Local })
            }
            MediaStorageKind::S3 => {
                let s3 = &settings.s3;
                if s3.bucket.is_empty() {
                    return Err(StorageError::Config("media.storage is s3 but media.s3.bucket is empty".into()));
                }
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_virtual_hosted_style_request(!s3.path_style);
                if s3.access_key_id.is_set() {
                    builder = builder.with_access_key_id(s3.access_key_id.expose()).with_secret_access_key(s3.secret_access_key.expose());
                }
                if !s3.endpoint.is_empty() {
                    builder = builder.with_endpoint(&s3.endpoint).with_allow_http(s3.endpoint.starts_with("http://"));
                }
                let store = builder.build().map_err(|e| StorageError::Config(e.to_string()))?;
                let prefix = match s3.prefix.trim_matches('/') {
                    "" => String::new(),
                    p => format!("{p}/"),
                };
                Ok(Self { store: Arc::new(store), prefix, kind: MediaStorageKind::S3 })
            }
        }
    }

    /// `local` or `s3`, for logs and the benchmark.
    pub fn kind(&self) -> MediaStorageKind {
        self.kind
    }

    fn path(&self, key: &str) -> Path {
        Path::from(format!("{}{key}", self.prefix))
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        self.store.put(&self.path(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Uploads a local file, in parts when it is large (nothing is held in memory whole).
    pub async fn put_file(&self, key: &str, file: &FsPath) -> Result<(), StorageError> {
        let mut source = tokio::fs::File::open(file).await?;
        let size = source.metadata().await?.len();
        if size <= PART_BYTES as u64 {
            let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or_default());
            source.read_to_end(&mut buf).await?;
            return self.put(key, Bytes::from(buf)).await;
        }
        let upload = self.store.put_multipart(&self.path(key)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = source.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            writer.wait_for_capacity(4).await?;
            writer.write(&buf[..n]);
        }
        writer.finish().await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&self.path(key)).await?.bytes().await?)
    }

    /// The size of an object in bytes.
    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        Ok(self.store.head(&self.path(key)).await?.size)
    }

    /// Bytes `range` of an object (for HTTP range requests).
    pub async fn get_range(&self, key: &str, range: Range<u64>) -> Result<Bytes, StorageError> {
        Ok(self.store.get_range(&self.path(key), range).await?)
    }

    /// Appends the whole object to `file`; returns the bytes written.
    pub async fn append_to(&self, key: &str, file: &mut tokio::fs::File) -> Result<u64, StorageError> {
        let mut stream = self.store.get(&self.path(key)).await?.into_stream();
        let mut written = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        Ok(written)
    }

    /// Deletes an object; one that is already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The keys of objects under `prefix` last modified before `before_ms` (Unix milliseconds),
    /// for sweeping files whose rows were never written.
    pub async fn list_older(&self, prefix: &str, before_ms: i64) -> Result<Vec<String>, StorageError> {
        let mut listing = self.store.list(Some(&self.path(prefix)));
        let mut keys = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if meta.last_modified.timestamp_millis() < before_ms {
                let full = meta.location.to_string();
                keys.push(full.strip_prefix(self.prefix.as_str()).unwrap_or(&full).to_owned());
            }
        }
        Ok(keys)
    }

    /// Deletes every object under `prefix` (an asset's folder, an upload session's chunks).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<(), StorageError> {
        let prefix = self.path(prefix);
        let mut listing = self.store.list(Some(&prefix));
        let mut keys = Vec::new();
        while let Some(meta) = listing.next().await {
            keys.push(meta?.location);
        }
        for key in keys {
            match self.store.delete(&key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

impl Storage {
    /// The whole object as a stream of pieces (for HTTP bodies without holding the file).
    pub async fn stream(&self, key: &str) -> Result<futures::stream::BoxStream<'static, Result<Bytes, StorageError>>, StorageError> {
        let stream = self.store.get(&self.path(key)).await?.into_stream();
        Ok(stream.map(|piece| piece.map_err(StorageError::from)).boxed())
    }
}
