//! Creating a Pin (`POST /v5/pins`,
//! <https://developers.pinterest.com/docs/work-with-organic-content-and-users/create-boards-and-pins/>):
//! images by public URL when the server has one, else as base64 from the bytes; two to five
//! images as a carousel (`multiple_image_urls` / `multiple_image_base64`); a video registered
//! with `POST /v5/media`, sent as a multipart form to the returned `upload_url` with its
//! `upload_parameters`, polled with `GET /v5/media/{id}` until `succeeded`, then pinned with
//! `video_id` and a cover (an image sent beside the video, else a key frame).

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use super::{
    NETWORK, PinterestConnector, board_of, pin_url,
    wire::{MediaStatus, MediaUpload, Pin},
};
use crate::{AccountContext, MediaAttachment, MediaKind, PublishError, PublishRequest, Published, http};

const TITLE_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 800;
const ALT_TEXT_MAX: usize = 500;
const CAROUSEL_MAX: usize = 5;
/// What Pinterest takes as `image_base64`.
const BASE64_TYPES: [&str; 2] = ["image/jpeg", "image/png"];

fn refuse<T>(message: &str) -> Result<T, PublishError> {
    Err(PublishError::Permanent { message: message.to_owned() })
}

/// One image as a `media_source` item: its public URL, or its bytes.
fn image_item(image: &MediaAttachment) -> Result<Value, PublishError> {
    if let Some(url) = &image.public_url {
        return Ok(json!({ "url": url }));
    }
    if !BASE64_TYPES.contains(&image.mime.as_str()) {
        return refuse("Pinterest takes uploaded images as JPEG or PNG; other formats need server.public_url set to an address Pinterest can reach");
    }
    Ok(json!({ "content_type": image.mime, "data": STANDARD.encode(&image.bytes) }))
}

fn images_source(images: &[&MediaAttachment]) -> Result<Value, PublishError> {
    let all_public = images.iter().all(|i| i.public_url.is_some());
    if let [one] = images {
        let item = image_item(one)?;
        return Ok(if all_public {
            json!({ "source_type": "image_url", "url": item["url"] })
        } else {
            json!({ "source_type": "image_base64", "content_type": item["content_type"], "data": item["data"] })
        });
    }
    // A carousel is all URLs or all bytes: with one image lacking a public URL, send bytes.
    let items: Vec<Value> = if all_public {
        images.iter().map(|i| image_item(i)).collect::<Result<_, _>>()?
    } else {
        let local: Vec<MediaAttachment> = images.iter().map(|i| MediaAttachment { public_url: None, ..(*i).clone() }).collect();
        local.iter().map(image_item).collect::<Result<_, _>>()?
    };
    let source_type = if all_public { "multiple_image_urls" } else { "multiple_image_base64" };
    Ok(json!({ "source_type": source_type, "items": items, "index": 0 }))
}

impl PinterestConnector {
    pub(super) async fn create_pin(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        let token = account.token()?;
        let board = board_of(account)?;
        if request.parts.len() > 1 {
            return refuse("Pinterest has no threads: a Pin has one description");
        }
        let description = request.parts.first().cloned().unwrap_or_default();
        let title = request.title.clone().unwrap_or_default();
        if title.chars().count() > TITLE_MAX {
            return refuse("Pinterest titles are at most 100 characters");
        }
        if description.chars().count() > DESCRIPTION_MAX {
            return refuse("Pinterest descriptions are at most 800 characters");
        }
        let videos: Vec<&MediaAttachment> = request.media.iter().filter(|m| m.kind == MediaKind::Video).collect();
        let images: Vec<&MediaAttachment> = request.media.iter().filter(|m| m.kind != MediaKind::Video).collect();
        let mut body = json!({ "board_id": board, "description": description });
        if !title.is_empty() {
            body["title"] = json!(title);
        }
        if let Some(link) = &request.link {
            body["link"] = json!(link);
        }
        if let Some(alt) = request.media.iter().find_map(|m| m.alt_text.as_deref()).filter(|a| !a.is_empty()) {
            body["alt_text"] = json!(alt.chars().take(ALT_TEXT_MAX).collect::<String>());
        }
        body["media_source"] = match (videos.as_slice(), images.as_slice()) {
            ([], []) => return refuse("a Pin needs an image or a video"),
            ([], images) if images.len() > CAROUSEL_MAX => return refuse("a Pinterest carousel has at most 5 images"),
            ([], images) => images_source(images)?,
            ([video], covers) if covers.len() <= 1 => {
                let media_id = self.upload_video(token, video).await?;
                let mut source = json!({ "source_type": "video_id", "media_id": media_id });
                match covers.first() {
                    Some(cover) if cover.public_url.is_some() => source["cover_image_url"] = json!(cover.public_url),
                    Some(cover) => {
                        let item = image_item(cover)?;
                        source["cover_image_content_type"] = item["content_type"].clone();
                        source["cover_image_data"] = item["data"].clone();
                    }
                    None => source["cover_image_key_frame_time"] = json!(0),
                }
                source
            }
            _ => return refuse("a Pin is one video (with at most one cover image), or up to 5 images"),
        };
        if request.first_comment.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            tracing::warn!(network = "pinterest", "Pinterest's API cannot comment: the first comment is not posted");
        }
        let response = self.call(self.http.post(self.url("/pins")).bearer_auth(token).json(&body)).await?;
        let pin: Pin = http::json(NETWORK, response).await?;
        Ok(Published { url: Some(pin_url(&pin.id)), platform_post_id: pin.id })
    }

    /// Registers, uploads and waits for a video; its `media_id` once processed. Nothing is
    /// pinned yet, so running out of polls is transient (a retry uploads again; the unused
    /// upload is Pinterest's to drop).
    async fn upload_video(&self, token: &str, video: &MediaAttachment) -> Result<String, PublishError> {
        let response = self.call(self.http.post(self.url("/media")).bearer_auth(token).json(&json!({ "media_type": "video" }))).await?;
        let upload: MediaUpload = http::json(NETWORK, response).await?;
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &upload.upload_parameters {
            form = form.text(name.clone(), value.clone());
        }
        let file = reqwest::multipart::Part::bytes(video.bytes.to_vec())
            .file_name(video.file_name.clone())
            .mime_str(&video.mime)
            .map_err(|e| PublishError::Permanent { message: format!("the video's type {} is not a MIME type: {e}", video.mime) })?;
        form = form.part("file", file);
        // The upload URL is a storage bucket, not the API: no bearer token goes there.
        http::send_ok(NETWORK, self.http.post(&upload.upload_url).multipart(form)).await?;
        for poll in 0..self.max_polls {
            if poll > 0 {
                tokio::time::sleep(self.poll_interval).await;
            }
            let status: MediaStatus = self.get(token, &format!("/media/{}", upload.media_id), &[]).await?;
            match status.status.as_str() {
                "succeeded" => return Ok(upload.media_id),
                "failed" => return refuse("Pinterest could not process the video (check its format, length and size)"),
                _ => {}
            }
        }
        Err(PublishError::Transient {
            message: format!("Pinterest was still processing the video {} after the last check", upload.media_id),
            retry_after_secs: Some(60),
        })
    }
}
