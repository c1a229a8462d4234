//! The container flow (<https://developers.facebook.com/docs/instagram-platform/content-publishing/>):
//! `POST /{ig-user-id}/media` with the public URL Instagram fetches (`image_url` with `alt_text`,
//! or `media_type=REELS` with `video_url`; carousel items with `is_carousel_item`, then a
//! `CAROUSEL` parent with `children`), status checks until `FINISHED`, then
//! `POST /{ig-user-id}/media_publish`. The 24-hour publishing quota is read first
//! (`content_publishing_limit`) so an exhausted quota is said plainly, before any container.

use serde::Deserialize;

use super::InstagramConnector;
use crate::{
    AccountContext, MediaAttachment, MediaKind, PublishError, PublishRequest, Published,
    meta::{
        graph::{Created, List, is_fatal},
        poll::{self, Status},
        quota::{self, Quota},
    },
};

/// Instagram's carousel limit.
const MAX_ITEMS: usize = 10;

#[derive(Deserialize)]
struct ContainerStatus {
    #[serde(default)]
    status_code: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
struct Permalink {
    #[serde(default)]
    permalink: Option<String>,
}

impl InstagramConnector {
    pub(super) async fn publish_post(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let token = account.token()?;
        let ig = Self::ig_user(account)?;
        let caption = caption(request);
        let urls = public_urls(&request.media)?;
        self.check_quota(token, ig).await?;

        let container = match request.media.as_slice() {
            [single] => {
                let id = self
                    .create(token, ig, single, urls[0], Some(&caption), false)
                    .await?;
                self.wait(token, &id).await?;
                id
            }
            items => {
                let mut children = Vec::with_capacity(items.len());
                for (item, url) in items.iter().zip(&urls) {
                    children.push(self.create(token, ig, item, url, None, true).await?);
                }
                for child in &children {
                    self.wait(token, child).await?;
                }
                let joined = children.join(",");
                let form = [
                    ("media_type", "CAROUSEL"),
                    ("children", joined.as_str()),
                    ("caption", caption.as_str()),
                ];
                let parent = self
                    .graph
                    .post::<Created>(token, &format!("{ig}/media"), &form)
                    .await?
                    .id;
                self.wait(token, &parent).await?;
                parent
            }
        };
        let media_id = self
            .graph
            .post::<Created>(
                token,
                &format!("{ig}/media_publish"),
                &[("creation_id", container.as_str())],
            )
            .await?
            .id;

        for part in request.parts.iter().skip(1) {
            if let Err(error) = self.comment(token, &media_id, part).await {
                return Err(self.roll_back(token, &media_id, error).await);
            }
        }
        if let Some(comment) = request
            .first_comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            && let Err(error) = self.comment(token, &media_id, comment).await
        {
            tracing::warn!(network = "instagram", media = %media_id, error = %error, "the first comment failed; the post stays published");
        }
        let url = match self
            .graph
            .get::<Permalink>(token, &media_id, &[("fields", "permalink")])
            .await
        {
            Ok(found) => found.permalink,
            Err(error) => {
                tracing::warn!(network = "instagram", media = %media_id, error = %error, "no permalink for the published media");
                None
            }
        };
        Ok(Published {
            platform_post_id: media_id,
            url,
        })
    }

    /// Refuses early, with the quota in the message, when the account used its 24-hour quota.
    /// A failed check is not a reason to stop: `media_publish` enforces the quota anyway.
    async fn check_quota(&self, token: &str, ig: &str) -> Result<(), PublishError> {
        let path = format!("{ig}/content_publishing_limit");
        match self
            .graph
            .get::<List<Quota>>(token, &path, &[("fields", "quota_usage,config")])
            .await
        {
            Ok(answer) => {
                let Some(quota) = answer.data.first() else {
                    return Ok(());
                };
                quota::ensure_room(
                    self.graph.network,
                    quota.quota_usage,
                    quota.config.as_ref().map(|c| c.quota_total),
                    1,
                    "posts",
                )
            }
            Err(error) if is_fatal(&error) => Err(error),
            Err(error) => {
                tracing::warn!(network = "instagram", error = %error, "could not read the publishing quota; publishing anyway");
                Ok(())
            }
        }
    }

    async fn create(
        &self,
        token: &str,
        ig: &str,
        media: &MediaAttachment,
        url: &str,
        caption: Option<&str>,
        carousel_item: bool,
    ) -> Result<String, PublishError> {
        let mut form: Vec<(&str, &str)> = Vec::new();
        match (media.kind, carousel_item) {
            (MediaKind::Video, false) => form.extend([("media_type", "REELS"), ("video_url", url)]),
            (MediaKind::Video, true) => form.extend([("media_type", "VIDEO"), ("video_url", url)]),
            (MediaKind::Image | MediaKind::Gif, _) => {
                form.push(("image_url", url));
                // Alt text exists for images only (since 24 March 2025), not for Reels.
                if let Some(alt) = media.alt_text.as_deref().filter(|a| !a.trim().is_empty()) {
                    form.push(("alt_text", alt));
                }
            }
        }
        if carousel_item {
            form.push(("is_carousel_item", "true"));
        }
        if let Some(caption) = caption {
            form.push(("caption", caption));
        }
        Ok(self
            .graph
            .post::<Created>(token, &format!("{ig}/media"), &form)
            .await?
            .id)
    }

    async fn wait(&self, token: &str, container: &str) -> Result<(), PublishError> {
        let check = || async {
            let answer: ContainerStatus = self
                .graph
                .get(token, container, &[("fields", "status_code,status")])
                .await?;
            Ok(match answer.status_code.as_deref().unwrap_or_default() {
                "FINISHED" | "PUBLISHED" => Status::Ready,
                "ERROR" => Status::Failed(
                    answer
                        .status
                        .unwrap_or_else(|| "the media was refused".into()),
                ),
                "EXPIRED" => Status::Expired,
                _ => Status::Pending,
            })
        };
        poll::until_ready(self.graph.network, self.polling, "media", check).await
    }

    pub(super) async fn comment(
        &self,
        token: &str,
        media_id: &str,
        message: &str,
    ) -> Result<String, PublishError> {
        Ok(self
            .graph
            .post::<Created>(
                token,
                &format!("{media_id}/comments"),
                &[("message", message)],
            )
            .await?
            .id)
    }

    async fn roll_back(&self, token: &str, media_id: &str, error: PublishError) -> PublishError {
        match self.graph.delete(token, media_id).await {
            Ok(()) => error,
            Err(undo) => PublishError::Permanent {
                message: format!(
                    "a later part of the post failed ({error}) and deleting what was posted failed too ({undo}): delete Instagram media {media_id} by hand before publishing again"
                ),
            },
        }
    }
}

/// The caption: the first part, with the link at the end when there is one (Instagram captions
/// have no link field). Also what `find_published` looks for.
pub(super) fn caption(request: &PublishRequest) -> String {
    let text = request
        .parts
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    match request.link.as_deref() {
        Some(link) if !text.contains(link) && text.is_empty() => link.to_owned(),
        Some(link) if !text.contains(link) => format!("{text}\n\n{link}"),
        _ => text.to_owned(),
    }
}

/// Instagram fetches media itself: each file needs a public URL, and a post needs one to ten.
fn public_urls(media: &[MediaAttachment]) -> Result<Vec<&str>, PublishError> {
    if media.is_empty() {
        return Err(PublishError::Permanent {
            message: "an Instagram post needs at least one image or video".into(),
        });
    }
    if media.len() > MAX_ITEMS {
        return Err(PublishError::Permanent {
            message: format!(
                "an Instagram carousel takes at most {MAX_ITEMS} items, not {}",
                media.len()
            ),
        });
    }
    media
        .iter()
        .map(|m| {
            m.public_url.as_deref().filter(|u| !u.is_empty()).ok_or_else(|| PublishError::Permanent {
                message: format!(
                    "Instagram fetches media from a public URL and {} has none: set server.public_url to an address Instagram can reach",
                    m.file_name
                ),
            })
        })
        .collect()
}
