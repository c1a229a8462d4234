//! Statuses, media and deletes (<https://docs.joinmastodon.org/methods/statuses/>,
//! <https://docs.joinmastodon.org/methods/media/>).
//!
//! Every status is sent with an `Idempotency-Key`: the post's key for the first part, a derived
//! one for each further part and for the first comment. Mastodon keeps keys for an hour and
//! answers a repeat with the status it already made, so a retry after a lost answer, or of a
//! thread that failed at part k, returns the parts that exist and continues from k — nothing is
//! posted twice. Media uploads have no key: a retry uploads again, and Mastodon discards
//! attachments no status uses.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use super::{MastodonConnector, errors, instance_of_account, wire};
use crate::{
    AccountContext, InboxItem, InboxKind, MediaAttachment, MediaKind, PublishError, PublishRequest,
    Published,
};

/// Mastodon's default `configuration.statuses.max_media_attachments`.
pub const MAX_MEDIA: usize = 4;

impl MastodonConnector {
    pub(super) async fn publish_statuses(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        validate(request)?;
        let instance = instance_of_account(account)?;
        let token = account.token()?;
        let mut media_ids = Vec::new();
        for media in &request.media {
            media_ids.push(self.upload(&instance, token, media).await?);
        }
        let mut first: Option<wire::Status> = None;
        let mut parent: Option<String> = None;
        for (index, text) in request.parts.iter().enumerate() {
            let key = if index == 0 {
                request.idempotency_key.clone()
            } else {
                format!("{}/part/{index}", request.idempotency_key)
            };
            let ids = if index == 0 {
                media_ids.as_slice()
            } else {
                &[]
            };
            let status = self
                .post_status(
                    &instance,
                    token,
                    &key,
                    text,
                    ids,
                    parent.as_deref(),
                    "public",
                )
                .await?;
            parent = Some(status.id.clone());
            if first.is_none() {
                first = Some(status);
            }
        }
        let first = first.ok_or_else(|| PublishError::Permanent {
            message: "a post needs at least one part".into(),
        })?;
        if let Some(comment) = request
            .first_comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            let key = format!("{}/first-comment", request.idempotency_key);
            if let Err(error) = self
                .post_status(
                    &instance,
                    token,
                    &key,
                    comment,
                    &[],
                    Some(&first.id),
                    "public",
                )
                .await
            {
                // The post is out; a retry here would publish it again.
                tracing::warn!(network = "mastodon", error = %error, "the first comment could not be posted; the post itself is published");
            }
        }
        Ok(Published {
            url: first
                .url
                .clone()
                .or(Some(first.uri.clone()))
                .filter(|u| !u.is_empty()),
            platform_post_id: first.id,
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn post_status(
        &self,
        instance: &str,
        token: &str,
        key: &str,
        text: &str,
        media_ids: &[String],
        in_reply_to: Option<&str>,
        visibility: &str,
    ) -> Result<wire::Status, PublishError> {
        let mut body = json!({ "status": text, "visibility": visibility });
        if !media_ids.is_empty() {
            body["media_ids"] = json!(media_ids);
        }
        if let Some(parent) = in_reply_to {
            body["in_reply_to_id"] = json!(parent);
        }
        let request = self
            .http
            .post(format!("{instance}/api/v1/statuses"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body);
        errors::json(errors::send(request).await?).await
    }

    /// `POST /api/v2/media`: 200 when the file is ready, 202 while it is processed; then
    /// `GET /api/v1/media/:id` answers 206 until `url` is set. Bounded by `max_polls`.
    async fn upload(
        &self,
        instance: &str,
        token: &str,
        media: &MediaAttachment,
    ) -> Result<String, PublishError> {
        let file = Part::bytes(media.bytes.to_vec())
            .file_name(media.file_name.clone())
            .mime_str(&media.mime)
            .map_err(|_| PublishError::Permanent {
                message: format!(
                    "{} has an invalid media type {:?}",
                    media.file_name, media.mime
                ),
            })?;
        let mut form = Form::new().part("file", file);
        if let Some(alt) = media.alt_text.as_deref().filter(|a| !a.is_empty()) {
            form = form.text("description", alt.to_owned());
        }
        let response = errors::send(
            self.http
                .post(format!("{instance}/api/v2/media"))
                .bearer_auth(token)
                .multipart(form),
        )
        .await?;
        let mut attachment: wire::MediaAttachment = errors::json(response).await?;
        let mut polls = 0;
        while attachment.url.is_none() {
            if polls >= self.max_polls {
                return Err(PublishError::Transient {
                    message: format!(
                        "Mastodon was still processing {} after {polls} checks; trying again later",
                        media.file_name
                    ),
                    retry_after_secs: Some(60),
                });
            }
            polls += 1;
            tokio::time::sleep(self.poll_interval).await;
            let response = errors::send(
                self.http
                    .get(format!("{instance}/api/v1/media/{}", attachment.id))
                    .bearer_auth(token),
            )
            .await?;
            attachment = errors::json(response).await?;
        }
        Ok(attachment.id)
    }

    pub(super) async fn delete_status(
        &self,
        account: &AccountContext,
        id: &str,
    ) -> Result<(), PublishError> {
        let instance = instance_of_account(account)?;
        let request = self
            .http
            .delete(format!("{instance}/api/v1/statuses/{id}"))
            .bearer_auth(account.token()?);
        match errors::send(request).await {
            Ok(_) => Ok(()),
            // Already gone: what a delete wants.
            Err(PublishError::Permanent { message }) if message.contains("does not know") => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// A reply to a mention or a direct message; the person is mentioned so it reaches them,
    /// and a direct message stays direct.
    pub(super) async fn reply_to(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        let instance = instance_of_account(account)?;
        let mention = format!("@{}", to.author.trim_start_matches('@'));
        let text = if text.contains(&mention) {
            text.to_owned()
        } else {
            format!("{mention} {text}")
        };
        let visibility = if to.kind == InboxKind::DirectMessage {
            "direct"
        } else {
            "public"
        };
        let key = format!("reply/{}/{}", to.platform_id, crate::pkce::challenge(&text));
        let status = self
            .post_status(
                &instance,
                account.token()?,
                &key,
                &text,
                &[],
                Some(&to.platform_id),
                visibility,
            )
            .await?;
        Ok(Published {
            url: status.url.clone(),
            platform_post_id: status.id,
        })
    }
}

fn validate(request: &PublishRequest) -> Result<(), PublishError> {
    let refuse = |message: String| Err(PublishError::Permanent { message });
    let empty_part = request
        .parts
        .iter()
        .enumerate()
        .any(|(i, p)| p.trim().is_empty() && (i > 0 || request.media.is_empty()));
    if request.parts.is_empty() || empty_part {
        return refuse(
            "a Mastodon post needs text in every part (only a first part with media may be empty)"
                .into(),
        );
    }
    if request.media.len() > MAX_MEDIA {
        return refuse(format!(
            "a Mastodon post takes at most {MAX_MEDIA} media files; this one has {}",
            request.media.len()
        ));
    }
    let videos = request
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Video)
        .count();
    if videos > 0 && request.media.len() > 1 {
        return refuse("a Mastodon post takes one video or up to four images, not both".into());
    }
    Ok(())
}
