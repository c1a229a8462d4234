//! The files of a post as a real network receives them: each asset's derivative for that
//! network (made and cached by the media library), its bytes, its alt text, and a signed URL for
//! networks that fetch media themselves.

use zenalto_domain::{MediaId, WorkspaceId, publishing::Network};
use zenalto_networks::{MediaAttachment, MediaKind};
use zenalto_store::repo::media;

use crate::{Result, ServiceError, Services};

impl Services {
    pub(crate) async fn attachments(&self, workspace: WorkspaceId, network: Network, media_ids: &[String]) -> Result<Vec<MediaAttachment>> {
        let mut attachments = Vec::with_capacity(media_ids.len());
        for raw in media_ids {
            let id: MediaId = raw.parse().map_err(|_| ServiceError::field("mediaIds", format!("{raw} is not a media id")))?;
            let mut conn = self.db.read().await?;
            let row = media::get(&mut conn, workspace, id).await?.ok_or_else(|| ServiceError::field("mediaIds", format!("media {raw} is no longer in the library")))?;
            drop(conn);
            let derivative = self.derivative_row(workspace, &row, network).await?;
            let bytes = self.media.get(&derivative.storage_key).await.map_err(ServiceError::internal)?;
            let kind = match row.kind.as_str() {
                "video" => MediaKind::Video,
                "gif" => MediaKind::Gif,
                _ => MediaKind::Image,
            };
            attachments.push(MediaAttachment {
                id: raw.clone(),
                kind,
                mime: derivative.mime,
                file_name: row.name.clone(),
                bytes,
                alt_text: row.alt_text.clone().filter(|a| !a.trim().is_empty()),
                public_url: Some(self.signed_url(workspace, id, &format!("network:{network}")).url),
                width: u32::try_from(derivative.width).ok().filter(|w| *w > 0),
                height: u32::try_from(derivative.height).ok().filter(|h| *h > 0),
                duration_ms: row.duration_ms.and_then(|d| u64::try_from(d).ok()),
            });
        }
        Ok(attachments)
    }
}
