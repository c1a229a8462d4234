//! Two-step publishing (<https://developers.facebook.com/documentation/threads/reference/publishing>):
//! `POST /{user-id}/threads` makes a container (`TEXT`, `IMAGE`, `VIDEO`, or `CAROUSEL` of
//! `is_carousel_item` children), its `status` is checked until `FINISHED`, then
//! `POST /{user-id}/threads_publish` makes the post. Each later part is a reply to the part
//! before (`reply_to_id`). If part k fails, the parts already published are deleted so a retry
//! starts clean; if that fails too, the error names what is left.

use serde::Deserialize;

use super::ThreadsConnector;
use crate::{
    AccountContext, MediaAttachment, MediaKind, PublishError, PublishRequest, Published,
    meta::{
        graph::{Created, List, is_fatal},
        poll::{self, Status},
        quota::{self, Quota},
    },
};

/// Threads' carousel limit.
const MAX_ITEMS: usize = 20;

#[derive(Deserialize)]
struct ContainerStatus {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
}

#[derive(Deserialize)]
struct Permalink {
    #[serde(default)]
    permalink: Option<String>,
}

impl ThreadsConnector {
    pub(super) async fn publish_thread(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let token = account.token()?;
        let user = Self::user(account)?;
        let first = request
            .parts
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        if first.trim().is_empty() && request.media.is_empty() {
            return Err(PublishError::Permanent {
                message: "a Threads post needs text or media".into(),
            });
        }
        if request.media.len() > MAX_ITEMS {
            return Err(PublishError::Permanent {
                message: format!(
                    "a Threads carousel takes at most {MAX_ITEMS} items, not {}",
                    request.media.len()
                ),
            });
        }
        let urls = public_urls(&request.media)?;
        let text = root_text(request);
        let replies = request.parts.len().saturating_sub(1)
            + usize::from(
                request
                    .first_comment
                    .as_deref()
                    .is_some_and(|c| !c.trim().is_empty()),
            );
        self.check_quota(token, user, replies as u64).await?;

        let root = match request.media.as_slice() {
            [] => {
                self.post_text(token, user, &text, None, request.link.as_deref())
                    .await?
            }
            [single] => {
                let container = self
                    .create_media(token, user, single, urls[0], Some(&text), false)
                    .await?;
                self.wait(token, &container).await?;
                self.publish_container(token, user, &container).await?
            }
            items => {
                let mut children = Vec::with_capacity(items.len());
                for (item, url) in items.iter().zip(&urls) {
                    children.push(
                        self.create_media(token, user, item, url, None, true)
                            .await?,
                    );
                }
                for child in &children {
                    self.wait(token, child).await?;
                }
                let joined = children.join(",");
                let mut form = vec![("media_type", "CAROUSEL"), ("children", joined.as_str())];
                if !text.is_empty() {
                    form.push(("text", text.as_str()));
                }
                let container = self
                    .graph
                    .post::<Created>(token, &format!("{user}/threads"), &form)
                    .await?
                    .id;
                self.wait(token, &container).await?;
                self.publish_container(token, user, &container).await?
            }
        };

        let mut posted = vec![root.clone()];
        for part in request.parts.iter().skip(1) {
            let previous = posted.last().cloned().unwrap_or_else(|| root.clone());
            match self
                .post_text(token, user, part, Some(&previous), None)
                .await
            {
                Ok(id) => posted.push(id),
                Err(error) => return Err(self.roll_back(token, &posted, error).await),
            }
        }
        if let Some(comment) = request
            .first_comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            && let Err(error) = self
                .post_text(token, user, comment, Some(&root), None)
                .await
        {
            tracing::warn!(network = "threads", post = %root, error = %error, "the first comment failed; the post stays published");
        }
        Ok(Published {
            url: self.permalink(token, &root).await,
            platform_post_id: root,
        })
    }

    /// Threads allows 250 posts and 1,000 replies per profile per 24 hours: refuse before
    /// creating anything when this post would pass either. A failed read is not a reason to stop
    /// (`threads_publish` enforces the quota anyway).
    async fn check_quota(&self, token: &str, user: &str, replies: u64) -> Result<(), PublishError> {
        let path = format!("{user}/threads_publishing_limit");
        let fields = [(
            "fields",
            "quota_usage,config,reply_quota_usage,reply_config",
        )];
        match self.graph.get::<List<Quota>>(token, &path, &fields).await {
            Ok(answer) => {
                let Some(quota) = answer.data.first() else {
                    return Ok(());
                };
                let network = self.graph.network;
                quota::ensure_room(
                    network,
                    quota.quota_usage,
                    quota.config.as_ref().map(|c| c.quota_total),
                    1,
                    "posts",
                )?;
                if replies > 0 {
                    let total = quota.reply_config.as_ref().map(|c| c.quota_total);
                    quota::ensure_room(
                        network,
                        quota.reply_quota_usage.unwrap_or(0),
                        total,
                        replies,
                        "replies",
                    )?;
                }
                Ok(())
            }
            Err(error) if is_fatal(&error) => Err(error),
            Err(error) => {
                tracing::warn!(network = "threads", error = %error, "could not read the publishing quota; publishing anyway");
                Ok(())
            }
        }
    }

    /// A text post (or reply, with `reply_to_id`), created, checked and published.
    pub(super) async fn post_text(
        &self,
        token: &str,
        user: &str,
        text: &str,
        reply_to: Option<&str>,
        link: Option<&str>,
    ) -> Result<String, PublishError> {
        let mut form = vec![("media_type", "TEXT"), ("text", text)];
        if let Some(reply_to) = reply_to {
            form.push(("reply_to_id", reply_to));
        }
        if let Some(link) = link {
            form.push(("link_attachment", link));
        }
        let container = self
            .graph
            .post::<Created>(token, &format!("{user}/threads"), &form)
            .await?
            .id;
        self.wait(token, &container).await?;
        self.publish_container(token, user, &container).await
    }

    async fn create_media(
        &self,
        token: &str,
        user: &str,
        media: &MediaAttachment,
        url: &str,
        text: Option<&str>,
        carousel_item: bool,
    ) -> Result<String, PublishError> {
        let mut form: Vec<(&str, &str)> = match media.kind {
            MediaKind::Video => vec![("media_type", "VIDEO"), ("video_url", url)],
            MediaKind::Image | MediaKind::Gif => vec![("media_type", "IMAGE"), ("image_url", url)],
        };
        if let Some(alt) = media.alt_text.as_deref().filter(|a| !a.trim().is_empty()) {
            form.push(("alt_text", alt));
        }
        if carousel_item {
            form.push(("is_carousel_item", "true"));
        }
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            form.push(("text", text));
        }
        Ok(self
            .graph
            .post::<Created>(token, &format!("{user}/threads"), &form)
            .await?
            .id)
    }

    async fn publish_container(
        &self,
        token: &str,
        user: &str,
        container: &str,
    ) -> Result<String, PublishError> {
        Ok(self
            .graph
            .post::<Created>(
                token,
                &format!("{user}/threads_publish"),
                &[("creation_id", container)],
            )
            .await?
            .id)
    }

    async fn wait(&self, token: &str, container: &str) -> Result<(), PublishError> {
        let check = || async {
            let answer: ContainerStatus = self
                .graph
                .get(token, container, &[("fields", "status,error_message")])
                .await?;
            Ok(match answer.status.as_deref().unwrap_or_default() {
                "FINISHED" | "PUBLISHED" => Status::Ready,
                "ERROR" => Status::Failed(
                    answer
                        .error_message
                        .unwrap_or_else(|| "the media was refused".into()),
                ),
                "EXPIRED" => Status::Expired,
                _ => Status::Pending,
            })
        };
        poll::until_ready(self.graph.network, self.polling, "media", check).await
    }

    /// The post's address, when Threads gives it (it omits it for flagged media).
    pub(super) async fn permalink(&self, token: &str, id: &str) -> Option<String> {
        match self
            .graph
            .get::<Permalink>(token, id, &[("fields", "permalink")])
            .await
        {
            Ok(found) => found.permalink,
            Err(error) => {
                tracing::warn!(network = "threads", post = %id, error = %error, "no permalink for the published post");
                None
            }
        }
    }

    /// Deletes the published parts, newest first.
    async fn roll_back(&self, token: &str, posted: &[String], error: PublishError) -> PublishError {
        let mut left = Vec::new();
        for id in posted.iter().rev() {
            if let Err(undo) = self.graph.delete(token, id).await {
                tracing::warn!(network = "threads", post = %id, error = %undo, "could not delete a part of a failed thread");
                left.push(id.clone());
            }
        }
        if left.is_empty() {
            error
        } else {
            PublishError::Permanent {
                message: format!(
                    "a later part of the thread failed ({error}) and deleting what was posted failed too: delete the Threads posts {} by hand before publishing again",
                    left.join(", ")
                ),
            }
        }
    }
}

/// Threads fetches media itself: each file needs a public URL.
fn public_urls(media: &[MediaAttachment]) -> Result<Vec<&str>, PublishError> {
    media
        .iter()
        .map(|m| {
            m.public_url.as_deref().filter(|u| !u.is_empty()).ok_or_else(|| PublishError::Permanent {
                message: format!("Threads fetches media from a public URL and {} has none: set server.public_url to an address Threads can reach", m.file_name),
            })
        })
        .collect()
}

/// The first post's text: with media, the link goes at its end (a media post has no link
/// attachment). Also what `find_published` looks for.
pub(super) fn root_text(request: &PublishRequest) -> String {
    let first = request
        .parts
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    match request.link.as_deref() {
        Some(link) if request.has_media() && !first.contains(link) => {
            format!("{first}\n\n{link}").trim().to_owned()
        }
        _ => first.to_owned(),
    }
}
