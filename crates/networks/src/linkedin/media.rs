//! Images API (`initializeUpload`, then `PUT` the bytes) and Videos API (`initializeUpload`,
//! `PUT` each part, `finalizeUpload` with the parts' ETags, then poll until `AVAILABLE`).
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api>,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api>

use serde_json::json;
use zenalto_domain::publishing::Network;

use super::{LinkedInConnector, errors, urn_path, wire};
use crate::{MediaAttachment, MediaKind, PublishError, http};

impl LinkedInConnector {
    pub(super) async fn upload_image(&self, token: &str, owner: &str, media: &MediaAttachment) -> Result<String, PublishError> {
        let body = json!({ "initializeUploadRequest": { "owner": owner } });
        let request = self.rest(self.http.post(format!("{}/rest/images", self.api)).query(&[("action", "initializeUpload")]), token).json(&body);
        let started: wire::Action<wire::ImageUpload> = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
        let put = self.http.put(&started.value.upload_url).bearer_auth(token).header("content-type", media.mime.as_str()).body(media.bytes.clone());
        errors::send_ok(put).await?;
        Ok(started.value.image)
    }

    pub(super) async fn upload_video(&self, token: &str, owner: &str, media: &MediaAttachment) -> Result<String, PublishError> {
        let body = json!({ "initializeUploadRequest": { "owner": owner, "fileSizeBytes": media.bytes.len(), "uploadCaptions": false, "uploadThumbnail": false } });
        let request = self.rest(self.http.post(format!("{}/rest/videos", self.api)).query(&[("action", "initializeUpload")]), token).json(&body);
        let started: wire::Action<wire::VideoUpload> = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
        let upload = started.value;
        let mut etags = Vec::with_capacity(upload.upload_instructions.len());
        for part in &upload.upload_instructions {
            let (first, last) = (part.first_byte as usize, part.last_byte as usize);
            let Some(bytes) = media.bytes.get(first..=last) else {
                return Err(PublishError::Transient {
                    message: format!("LinkedIn asked for bytes {first}–{last} of a {}-byte video", media.bytes.len()), retry_after_secs: None
                });
            };
            // The part URLs are pre-signed: no token goes with them.
            let response = errors::send_ok(self.http.put(&part.upload_url).header("content-type", "application/octet-stream").body(bytes.to_vec())).await?;
            let etag = response.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let Some(etag) = etag else {
                return Err(PublishError::Transient { message: "LinkedIn accepted a video part without an ETag".into(), retry_after_secs: None });
            };
            etags.push(etag);
        }
        let body = json!({ "finalizeUploadRequest": { "video": upload.video, "uploadToken": upload.upload_token, "uploadedPartIds": etags } });
        let request = self.rest(self.http.post(format!("{}/rest/videos", self.api)).query(&[("action", "finalizeUpload")]), token).json(&body);
        errors::send_ok(request).await?;
        self.wait_available(token, &upload.video).await?;
        Ok(upload.video)
    }

    /// Polls the video until LinkedIn has processed it, at most `max_polls` times; past that
    /// the post is not made and the try is transient.
    async fn wait_available(&self, token: &str, video: &str) -> Result<(), PublishError> {
        for poll in 0..=self.max_polls {
            if poll > 0 {
                tokio::time::sleep(self.poll_interval).await;
            }
            let request = self.rest(self.http.get(format!("{}/rest/videos/{}", self.api, urn_path(video))), token);
            let status: wire::Video = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
            match status.status.as_str() {
                "AVAILABLE" => return Ok(()),
                "PROCESSING_FAILED" => {
                    let reason = status.processing_failure_reason.unwrap_or_else(|| "no reason given".into());
                    return Err(PublishError::Permanent { message: format!("LinkedIn could not process the video: {reason}") });
                }
                _ => {}
            }
        }
        Err(PublishError::Transient { message: format!("LinkedIn was still processing the video after {} checks", self.max_polls), retry_after_secs: Some(60) })
    }
}

/// LinkedIn takes one video, or up to 20 images (several make a multi-image post).
pub fn check_mix(media: &[MediaAttachment]) -> Result<(), PublishError> {
    let videos = media.iter().filter(|m| m.kind == MediaKind::Video).count();
    if (videos > 0 && media.len() > 1) || media.len() > 20 {
        return Err(PublishError::Permanent { message: "LinkedIn takes one video, or up to 20 images, per post".into() });
    }
    Ok(())
}
