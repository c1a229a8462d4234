//! Publishing to a Page (<https://developers.facebook.com/docs/pages-api/posts>): text and links
//! on `/{page-id}/feed`, one photo on `/{page-id}/photos`, several photos uploaded unpublished
//! and attached to a feed post with `attached_media`, one video through the resumable upload
//! ([`super::video`]). Further parts of a thread become comments on the post, in order.

use super::FacebookConnector;
use crate::{
    AccountContext, MediaAttachment, MediaKind, PublishError, PublishRequest, Published,
    meta::graph::Created,
};
use reqwest::multipart::{Form, Part};

impl FacebookConnector {
    pub(super) async fn publish_post(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let token = account.token()?;
        let page = Self::page_id(account)?;
        let text = request
            .parts
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        let (videos, images): (Vec<&MediaAttachment>, Vec<&MediaAttachment>) = request
            .media
            .iter()
            .partition(|m| m.kind == MediaKind::Video);
        if !videos.is_empty() && (videos.len() > 1 || !images.is_empty()) {
            return Err(PublishError::Permanent {
                message: "a Facebook post takes photos or one video, not several videos or both"
                    .into(),
            });
        }
        if text.trim().is_empty() && request.media.is_empty() && request.link.is_none() {
            return Err(PublishError::Permanent {
                message: "a Facebook post needs text, a link or media".into(),
            });
        }
        let message = message(request);

        let post_id = match (images.as_slice(), videos.first()) {
            (_, Some(video)) => {
                self.upload_video(token, page, video, &message, request.title.as_deref())
                    .await?
            }
            ([], None) => {
                let mut form = vec![("message", text)];
                if let Some(link) = request.link.as_deref() {
                    form.push(("link", link));
                }
                self.graph
                    .post::<Created>(token, &format!("{page}/feed"), &form)
                    .await?
                    .id
            }
            ([photo], None) => {
                let created = self
                    .upload_photo(token, page, photo, Some(&message), true)
                    .await?;
                created.post_id.unwrap_or(created.id)
            }
            (photos, None) => {
                let mut ids = Vec::with_capacity(photos.len());
                for photo in photos {
                    ids.push(self.upload_photo(token, page, photo, None, false).await?.id);
                }
                let attached: Vec<(String, String)> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, id)| {
                        (
                            format!("attached_media[{i}]"),
                            serde_json::json!({ "media_fbid": id }).to_string(),
                        )
                    })
                    .collect();
                let mut form: Vec<(&str, &str)> = vec![("message", message.as_str())];
                form.extend(attached.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                self.graph
                    .post::<Created>(token, &format!("{page}/feed"), &form)
                    .await?
                    .id
            }
        };

        for part in request.parts.iter().skip(1) {
            if let Err(error) = self.comment(token, &post_id, part).await {
                return Err(self.roll_back(token, &post_id, error).await);
            }
        }
        if let Some(comment) = request
            .first_comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            && let Err(error) = self.comment(token, &post_id, comment).await
        {
            tracing::warn!(network = "facebook", post = %post_id, error = %error, "the first comment failed; the post stays published");
        }
        Ok(Published {
            url: Some(self.post_url(&post_id)),
            platform_post_id: post_id,
        })
    }

    pub(super) async fn comment(
        &self,
        token: &str,
        object_id: &str,
        message: &str,
    ) -> Result<String, PublishError> {
        Ok(self
            .graph
            .post::<Created>(
                token,
                &format!("{object_id}/comments"),
                &[("message", message)],
            )
            .await?
            .id)
    }

    /// A later part failed: delete the post (its comments go with it) so a retry starts clean.
    async fn roll_back(&self, token: &str, post_id: &str, error: PublishError) -> PublishError {
        match self.graph.delete(token, post_id).await {
            Ok(()) => error,
            Err(undo) => PublishError::Permanent {
                message: format!(
                    "a later part of the post failed ({error}) and deleting what was posted failed too ({undo}): delete Facebook post {post_id} by hand before publishing again"
                ),
            },
        }
    }

    /// `POST /{page-id}/photos` with the bytes as `source`; unpublished when it will be attached
    /// to a feed post. `alt_text_custom` carries the alt text.
    async fn upload_photo(
        &self,
        token: &str,
        page: &str,
        photo: &MediaAttachment,
        message: Option<&str>,
        published: bool,
    ) -> Result<Created, PublishError> {
        let part = Part::bytes(photo.bytes.to_vec())
            .file_name(photo.file_name.clone())
            .mime_str(&photo.mime)
            .map_err(|e| PublishError::Permanent {
                message: format!(
                    "the photo {} has an invalid type {}: {e}",
                    photo.file_name, photo.mime
                ),
            })?;
        let mut form = Form::new()
            .part("source", part)
            .text("published", published.to_string());
        if let Some(message) = message.filter(|m| !m.is_empty()) {
            form = form.text("message", message.to_owned());
        }
        if let Some(alt) = photo.alt_text.as_deref().filter(|a| !a.trim().is_empty()) {
            form = form.text("alt_text_custom", alt.to_owned());
        }
        self.graph
            .post_multipart(token, self.graph.url(&format!("{page}/photos")), form)
            .await
            .map_err(|e| match e {
                PublishError::Permanent { message } => PublishError::Permanent {
                    message: format!("Facebook refused the photo {}: {message}", photo.file_name),
                },
                other => other,
            })
    }
}

/// Photos have no `link` field: the link goes at the end of the text (Facebook previews it).
/// What the Page will show as the post's message (also what `find_published` looks for).
/// Photos and videos have no `link` field: the link goes at the end of their text.
pub(super) fn message(request: &PublishRequest) -> String {
    let text = request
        .parts
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    if request.has_media() {
        with_link(text, request.link.as_deref())
    } else {
        text.to_owned()
    }
}

fn with_link(text: &str, link: Option<&str>) -> String {
    match link {
        Some(link) if !text.contains(link) => {
            if text.is_empty() {
                link.to_owned()
            } else {
                format!("{text}\n\n{link}")
            }
        }
        _ => text.to_owned(),
    }
}
