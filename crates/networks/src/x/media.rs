//! Media upload v2: `initialize` → `append` (chunks) → `finalize`, then `STATUS` polls while X
//! processes a video or GIF, and alt text through `POST /2/media/metadata`.
//! <https://docs.x.com/x-api/media/quickstart/media-upload-chunked>

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::json;
use zenalto_domain::publishing::Network;

use super::{XConnector, errors, wire};
use crate::{MediaAttachment, MediaKind, PublishError, http};

impl XConnector {
    /// Uploads one file and returns its media id once X can attach it to a post.
    pub(super) async fn upload(&self, token: &str, media: &MediaAttachment) -> Result<String, PublishError> {
        let category = match media.kind {
            MediaKind::Image => "tweet_image",
            MediaKind::Gif => "tweet_gif",
            MediaKind::Video => "tweet_video",
        };
        let init = json!({ "media_type": media.mime, "total_bytes": media.bytes.len(), "media_category": category });
        let response = errors::send_ok(self.http.post(format!("{}/2/media/upload/initialize", self.api)).bearer_auth(token).json(&init)).await?;
        let started: wire::Data<wire::Upload> = http::json(Network::X, response).await?;
        let id = started.data.id;
        for (index, chunk) in media.bytes.chunks(self.chunk_size).enumerate() {
            let part = Part::bytes(chunk.to_vec())
                .file_name(media.file_name.clone())
                .mime_str("application/octet-stream")
                .map_err(|e| PublishError::Permanent { message: format!("X upload: {e}") })?;
            let form = Form::new().text("segment_index", index.to_string()).part("media", part);
            errors::send_ok(self.http.post(format!("{}/2/media/upload/{id}/append", self.api)).bearer_auth(token).multipart(form)).await?;
        }
        let response = errors::send_ok(self.http.post(format!("{}/2/media/upload/{id}/finalize", self.api)).bearer_auth(token)).await?;
        let finalized: wire::Data<wire::Upload> = http::json(Network::X, response).await?;
        if let Some(processing) = finalized.data.processing_info {
            self.wait_processed(token, &id, processing).await?;
        }
        if let Some(alt) = media.alt_text.as_deref().filter(|a| !a.trim().is_empty())
            && media.kind != MediaKind::Video
        {
            let body = json!({ "id": id, "metadata": { "alt_text": { "text": alt } } });
            errors::send_ok(self.http.post(format!("{}/2/media/metadata", self.api)).bearer_auth(token).json(&body)).await?;
        }
        Ok(id)
    }

    /// Polls `STATUS` until X has processed the file, at most `max_polls` times: past that the
    /// upload is abandoned as transient (the post was not made; a later try uploads again).
    async fn wait_processed(&self, token: &str, id: &str, mut processing: wire::Processing) -> Result<(), PublishError> {
        for _ in 0..=self.max_polls {
            match processing.state.as_str() {
                "succeeded" => return Ok(()),
                "failed" => {
                    let reason = processing.error.and_then(|e| e.message).unwrap_or_else(|| "no reason given".into());
                    return Err(PublishError::Permanent { message: format!("X could not process the media file: {reason}") });
                }
                _ => {}
            }
            let wait = processing.check_after_secs.map(Duration::from_secs).unwrap_or(self.poll_interval).min(self.poll_interval);
            tokio::time::sleep(wait).await;
            let request = self.http.get(format!("{}/2/media/upload", self.api)).bearer_auth(token).query(&[("command", "STATUS"), ("media_id", id)]);
            let status: wire::Data<wire::Upload> = http::json(Network::X, errors::send_ok(request).await?).await?;
            processing = status.data.processing_info.unwrap_or(wire::Processing { state: "succeeded".into(), check_after_secs: None, error: None });
        }
        Err(PublishError::Transient { message: format!("X was still processing the media file after {} checks", self.max_polls), retry_after_secs: Some(60) })
    }
}

/// X takes up to four images, or one GIF, or one video.
pub fn check_mix(media: &[MediaAttachment]) -> Result<(), PublishError> {
    let images = media.iter().filter(|m| m.kind == MediaKind::Image).count();
    let others = media.len() - images;
    if (others > 0 && media.len() > 1) || images > 4 {
        return Err(PublishError::Permanent { message: "X takes up to 4 images, or 1 GIF, or 1 video per post".into() });
    }
    Ok(())
}
