//! Direct posting (<https://developers.tiktok.com/doc/content-posting-api-reference-direct-post>):
//! creator info first (the visibilities this creator may use, the longest video), then an init
//! that returns a `publish_id` — with an upload URL for `FILE_UPLOAD`, which takes the video in
//! sequential chunks (<https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide>)
//! — then the status polled until `PUBLISH_COMPLETE` or `FAILED`
//! (<https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status>).
//! Photos are pulled by TikTok from public URLs only.

use reqwest::header;
use serde_json::json;

use super::{
    TikTokConnector, errors, post_url,
    wire::{CreatorInfo, Init, Status},
};
use crate::{AccountContext, MediaAttachment, MediaKind, PublishError, PublishRequest, Published, http};

/// TikTok's caption limit for videos (UTF-16 code units) and for photo descriptions.
const VIDEO_CAPTION_MAX: usize = 2200;
const PHOTO_DESCRIPTION_MAX: usize = 4000;
const PHOTO_TITLE_MAX: usize = 90;
const PHOTOS_MAX: usize = 35;

enum Content<'a> {
    Video(&'a MediaAttachment),
    Photos(Vec<String>),
}

fn prepare(request: &PublishRequest) -> Result<(Content<'_>, String), PublishError> {
    let refuse = |message: &str| Err(PublishError::Permanent { message: message.to_owned() });
    if request.parts.len() > 1 {
        return refuse("TikTok has no threads: a TikTok post is one video or one set of photos with one caption");
    }
    let caption = caption(request);
    let content = match request.media.as_slice() {
        [] => return refuse("a TikTok post needs a video or photos"),
        [one] if one.kind == MediaKind::Video => {
            if one.bytes.is_empty() && one.public_url.is_none() {
                return refuse("the video file is empty");
            }
            if caption.encode_utf16().count() > VIDEO_CAPTION_MAX {
                return refuse("TikTok video captions are at most 2,200 characters");
            }
            Content::Video(one)
        }
        many => {
            if many.iter().any(|m| m.kind != MediaKind::Image) {
                return refuse("a TikTok post is one video, or photos only (no GIFs, no mixing)");
            }
            if many.len() > PHOTOS_MAX {
                return refuse("a TikTok photo post has at most 35 photos");
            }
            if caption.chars().count() > PHOTO_DESCRIPTION_MAX {
                return refuse("TikTok photo descriptions are at most 4,000 characters");
            }
            let urls: Option<Vec<String>> = many.iter().map(|m| m.public_url.clone()).collect();
            let Some(urls) = urls else {
                return refuse("TikTok fetches photos itself: set server.public_url to an address TikTok can reach (on a domain verified for the app)");
            };
            Content::Photos(urls)
        }
    };
    Ok((content, caption))
}

/// The caption: the post's text with the link at its end (TikTok has no link field). Also what
/// `find_published` looks for when it has no `publish_id`.
pub(super) fn caption(request: &PublishRequest) -> String {
    let mut caption = request.parts.first().cloned().unwrap_or_default();
    if let Some(link) = request.link.as_deref().filter(|l| !caption.contains(*l)) {
        if !caption.is_empty() {
            caption.push_str("\n\n");
        }
        caption.push_str(link);
    }
    caption
}

/// PUBLIC_TO_EVERYONE when the creator may post publicly; otherwise the first visibility TikTok
/// offers (an unaudited app gets SELF_ONLY only).
fn privacy(info: &CreatorInfo) -> Result<String, PublishError> {
    if info.privacy_level_options.iter().any(|o| o == "PUBLIC_TO_EVERYONE") {
        return Ok("PUBLIC_TO_EVERYONE".into());
    }
    info.privacy_level_options
        .first()
        .cloned()
        .ok_or_else(|| PublishError::Permanent { message: "TikTok offers this creator no visibility to post with".into() })
}

/// The published post from a `PUBLISH_COMPLETE` status: TikTok's post id once moderation gave
/// one, else the `publish_id`.
pub(super) fn published(account: &AccountContext, publish_id: &str, status: &Status) -> Published {
    let post_id = status.post_ids.first().map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
    match post_id {
        Some(id) => Published { url: post_url(account, &id), platform_post_id: id },
        None => Published { platform_post_id: publish_id.to_owned(), url: None },
    }
}

impl TikTokConnector {
    pub(super) async fn publish_post(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        let token = account.token()?;
        let (content, caption) = prepare(request)?;
        let info: CreatorInfo =
            self.call(self.http.post(self.url("/v2/post/publish/creator_info/query/")).bearer_auth(token).json(&json!({})), "video.publish").await?;
        let privacy = privacy(&info)?;
        // Interactions as the creator's own settings allow (duet and stitch exist for videos).
        let interactions = |body: &mut serde_json::Value, video: bool| {
            body["post_info"]["disable_comment"] = json!(info.comment_disabled);
            if video {
                body["post_info"]["disable_duet"] = json!(info.duet_disabled);
                body["post_info"]["disable_stitch"] = json!(info.stitch_disabled);
            }
        };
        let init: Init = match &content {
            Content::Video(video) => {
                if let (Some(max), Some(duration)) = (info.max_video_post_duration_sec, video.duration_ms)
                    && duration > max * 1000
                {
                    return Err(PublishError::Permanent { message: format!("this creator may post videos of at most {max} seconds on TikTok") });
                }
                let source = match &video.public_url {
                    Some(url) => json!({ "source": "PULL_FROM_URL", "video_url": url }),
                    None => {
                        let (chunk_size, count) = self.chunking(video.bytes.len());
                        json!({ "source": "FILE_UPLOAD", "video_size": video.bytes.len(), "chunk_size": chunk_size, "total_chunk_count": count })
                    }
                };
                let mut body = json!({ "post_info": { "title": caption, "privacy_level": privacy }, "source_info": source });
                interactions(&mut body, true);
                self.call(self.http.post(self.url("/v2/post/publish/video/init/")).bearer_auth(token).json(&body), "video.publish").await?
            }
            Content::Photos(urls) => {
                let title: String = request.title.as_deref().unwrap_or("").chars().take(PHOTO_TITLE_MAX).collect();
                let mut body = json!({
                    "post_info": { "title": title, "description": caption, "privacy_level": privacy },
                    "source_info": { "source": "PULL_FROM_URL", "photo_cover_index": 0, "photo_images": urls },
                    "post_mode": "DIRECT_POST",
                    "media_type": "PHOTO",
                });
                interactions(&mut body, false);
                self.call(self.http.post(self.url("/v2/post/publish/content/init/")).bearer_auth(token).json(&body), "video.publish").await?
            }
        };
        self.publish_ids.record(&request.idempotency_key, &init.publish_id);
        if let (Content::Video(video), Some(upload_url)) = (&content, &init.upload_url)
            && video.public_url.is_none()
        {
            self.upload(upload_url, video).await?;
        }
        if request.first_comment.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            tracing::warn!(network = "tiktok", "TikTok's API cannot comment: the first comment is not posted");
        }
        self.wait(account, token, &init.publish_id).await
    }

    /// `(chunk_size, total_chunk_count)`: files under the minimum go up whole; larger ones in
    /// chunks of `chunk_size`, the last one taking the remainder (TikTok:
    /// `total_chunk_count = floor(video_size / chunk_size)`).
    fn chunking(&self, size: usize) -> (usize, usize) {
        if size < self.min_chunk {
            return (size, 1);
        }
        let chunk = self.chunk_size.min(size);
        (chunk, (size / chunk).max(1))
    }

    async fn upload(&self, upload_url: &str, video: &MediaAttachment) -> Result<(), PublishError> {
        let total = video.bytes.len();
        let (chunk, count) = self.chunking(total);
        for index in 0..count {
            let first = index * chunk;
            let end = if index + 1 == count { total } else { first + chunk };
            let request = self
                .http
                .put(upload_url)
                .header(header::CONTENT_TYPE, video.mime.as_str())
                .header(header::CONTENT_RANGE, format!("bytes {first}-{}/{total}", end - 1))
                .body(video.bytes.slice(first..end));
            http::send_ok(super::NETWORK, request).await?;
        }
        Ok(())
    }

    pub(super) async fn status(&self, token: &str, publish_id: &str) -> Result<Status, PublishError> {
        let request = self.http.post(self.url("/v2/post/publish/status/fetch/")).bearer_auth(token).json(&json!({ "publish_id": publish_id }));
        self.call(request, "video.publish").await
    }

    /// Polls the publish status (bounded). Still processing after the last poll is "unknown":
    /// the post may yet appear, and `find_published` asks TikTok about this `publish_id`.
    async fn wait(&self, account: &AccountContext, token: &str, publish_id: &str) -> Result<Published, PublishError> {
        for poll in 0..self.max_polls {
            if poll > 0 {
                tokio::time::sleep(self.poll_interval).await;
            }
            // The post may exist from here on: any failure to read its status is "unknown", so
            // the engine verifies (by this publish_id) instead of posting again.
            let status = self.status(token, publish_id).await.map_err(|error| PublishError::Unknown {
                message: format!("TikTok accepted the post {publish_id} but its status could not be read: {}", error.message()),
            })?;
            match status.status.as_str() {
                "PUBLISH_COMPLETE" => return Ok(published(account, publish_id, &status)),
                "FAILED" => return Err(errors::failed(status.fail_reason.as_deref().unwrap_or("unknown"))),
                _ => {}
            }
        }
        Err(PublishError::Unknown { message: format!("TikTok was still processing the post {publish_id} after the last status check") })
    }
}
