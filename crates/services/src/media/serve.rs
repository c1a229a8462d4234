//! Serving files: to members (bearer token) and through signed, expiring URLs — what a browser
//! `<img>` or a network that fetches media itself (Instagram, Threads) can use without a token.
//! A signature is an HMAC-SHA256 with a key derived from the server's persisted signing secret
//! over workspace, asset, variant and expiry, so a URL cannot be stretched or pointed elsewhere.

use std::ops::Range;

use bytes::Bytes;
use futures::stream::BoxStream;
use zenalto_domain::{MediaId, Permission, Timestamp, WorkspaceId};
use zenalto_store::repo::media;

use super::ingest::storage_error;
use crate::{
    Access, Result, ServiceError, Services,
    crypto::{hashes_equal, keyed_hash},
};

/// A file ready to send: where it is, what it is and its validator.
#[derive(Clone, Debug)]
pub struct Content {
    key: String,
    pub mime: String,
    pub bytes: u64,
    /// A strong ETag (quoted), from the content hash.
    pub etag: String,
}

/// A signed URL and when it stops working.
#[derive(Clone, Debug)]
pub struct SignedUrl {
    pub url: String,
    pub expires_at: Timestamp,
}

impl Services {
    fn url_key(&self) -> String {
        keyed_hash(self.keys.jwt_signing_key.expose(), "zenalto media url key v1")
    }

    fn signature(&self, workspace: WorkspaceId, id: MediaId, variant: &str, expires: i64) -> String {
        keyed_hash(self.url_key().as_bytes(), &format!("{workspace}\n{id}\n{variant}\n{expires}"))
    }

    /// A file of an asset for a member (post:read). `variant`: `original`, `thumbnail` or
    /// `network:<name>` (a derivative, made on first request).
    pub async fn media_content(&self, access: &Access, id: MediaId, variant: &str) -> Result<Content> {
        access.require(Permission::PostRead)?;
        self.content(access.workspace_id, id, variant).await
    }

    /// A signed URL for a file of an asset (post:read), valid for `media.signed_url_ttl_secs`.
    pub async fn sign_media_url(&self, access: &Access, id: MediaId, variant: &str) -> Result<SignedUrl> {
        access.require(Permission::PostRead)?;
        // Refuse unknown assets and variants now rather than hand out a URL that answers 404.
        let mut conn = self.db.read().await?;
        media::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        drop(conn);
        check_variant(variant)?;
        Ok(self.signed_url(access.workspace_id, id, variant))
    }

    /// A signed URL for a file the caller already may read (networks that fetch media
    /// themselves get one for the derivative made for them).
    pub(crate) fn signed_url(&self, workspace: WorkspaceId, id: MediaId, variant: &str) -> SignedUrl {
        let expires_at = self.now().plus_seconds(self.settings.media.signed_url_ttl_secs.max(1));
        let expires = expires_at.as_millis() / 1000;
        let signature = self.signature(workspace, id, variant, expires);
        let base = self.settings.server.public_url.trim_end_matches('/');
        let url = format!("{base}/api/v1/media/{id}/signed?workspace={workspace}&variant={variant}&expires={expires}&signature={signature}");
        SignedUrl { url, expires_at }
    }

    /// A file through a signed URL: no caller, only the signature and the clock. Anything wrong
    /// (bad signature, expired, unknown) answers not found, so URLs cannot be probed.
    pub async fn signed_media_content(&self, workspace: &str, id: &str, variant: &str, expires: i64, signature: &str) -> Result<Content> {
        let (Ok(workspace), Ok(id)) = (workspace.parse::<WorkspaceId>(), id.parse::<MediaId>()) else { return Err(ServiceError::NotFound) };
        if !hashes_equal(&self.signature(workspace, id, variant, expires), signature) || expires * 1000 < self.now().as_millis() {
            return Err(ServiceError::NotFound);
        }
        self.content(workspace, id, variant).await
    }

    async fn content(&self, workspace: WorkspaceId, id: MediaId, variant: &str) -> Result<Content> {
        check_variant(variant)?;
        let mut conn = self.db.read().await?;
        let row = media::get(&mut conn, workspace, id).await?.ok_or(ServiceError::NotFound)?;
        drop(conn);
        match variant {
            "original" => Ok(Content { key: row.storage_key, mime: row.mime, bytes: u64::try_from(row.bytes).unwrap_or_default(), etag: format!("\"{}\"", row.sha256) }),
            "thumbnail" => {
                let key = row.thumb_key.ok_or(ServiceError::NotFound)?;
                Ok(Content { key, mime: "image/jpeg".into(), bytes: 0, etag: format!("\"{}-thumb\"", row.sha256) }.sized(self).await?)
            }
            _ => {
                let network = variant.trim_start_matches("network:").parse().map_err(|_| ServiceError::NotFound)?;
                let derivative = self.derivative_row(workspace, &row, network).await?;
                Ok(Content {
                    key: derivative.storage_key,
                    mime: derivative.mime,
                    bytes: u64::try_from(derivative.bytes).unwrap_or_default(),
                    etag: format!("\"{}-{}\"", row.sha256, derivative.variant.replace(':', "-")),
                })
            }
        }
    }

    /// Bytes `range` of a file (HTTP 206).
    pub async fn read_content_range(&self, content: &Content, range: Range<u64>) -> Result<Bytes> {
        if range.start >= range.end || range.end > content.bytes {
            return Err(ServiceError::RangeNotSatisfiable(format!("the file has {} bytes", content.bytes)));
        }
        self.media.get_range(&content.key, range).await.map_err(storage_error)
    }

    /// The whole file as a stream.
    pub async fn read_content(&self, content: &Content) -> Result<BoxStream<'static, Result<Bytes, zenalto_media::StorageError>>> {
        self.media.stream(&content.key).await.map_err(storage_error)
    }
}

impl Content {
    /// Thumbnails' sizes are not recorded; the store knows them.
    async fn sized(mut self, services: &Services) -> Result<Self> {
        self.bytes = services.media.size(&self.key).await.map_err(storage_error)?;
        Ok(self)
    }
}

fn check_variant(variant: &str) -> Result<()> {
    let known = variant == "original" || variant == "thumbnail" || variant.strip_prefix("network:").is_some_and(|n| n.parse::<zenalto_domain::publishing::Network>().is_ok());
    if known { Ok(()) } else { Err(ServiceError::field("variant", "original, thumbnail or network:<network>, e.g. network:instagram")) }
}
