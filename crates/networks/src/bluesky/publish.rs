//! Posts, threads, media and deletes through the account's PDS
//! (<https://docs.bsky.app/docs/advanced-guides/posts>).
//!
//! Every record gets a key we derive from the idempotency key ([`super::rkey`]). Before creating
//! a part we look its key up: a part that exists (an earlier try got through, even if its answer
//! was lost) is reused, never created twice. A thread whose part k failed therefore resumes at
//! part k on the next try, with the same root and parents.

use serde_json::{Value, json};
use zenalto_domain::{Timestamp, publishing::Network};

use super::{
    BlueskyConnector, COLLECTION, facets, rkey,
    wire::{Record, StrongRef, UploadedBlob, split_at_uri},
    xrpc::{self, XrpcError},
};
use crate::{
    AccountContext, MediaAttachment, MediaKind, PublishError, PublishRequest, Published, http,
};

/// `app.bsky.embed.images#image`: at most 4, each blob at most 1,000,000 bytes (lexicon).
pub const MAX_IMAGES: usize = 4;
pub const MAX_IMAGE_BYTES: usize = 1_000_000;
/// `app.bsky.embed.video`: one video, blob at most 100,000,000 bytes (lexicon).
pub const MAX_VIDEO_BYTES: usize = 100_000_000;
/// `app.bsky.feed.post#text`: 3,000 bytes (and 300 graphemes, which the PDS checks).
pub const MAX_TEXT_BYTES: usize = 3000;

/// Where a post is written: the PDS and the repo (the account's DID).
pub(super) struct Repo<'a> {
    pub pds: String,
    pub did: &'a str,
    pub token: &'a str,
}

impl BlueskyConnector {
    pub(super) async fn publish_post(
        &self,
        account: &AccountContext,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        validate(request)?;
        let repo = self.repo(account)?;
        let mut root: Option<StrongRef> = None;
        let mut parent: Option<StrongRef> = None;
        for (index, text) in request.parts.iter().enumerate() {
            let key = rkey::for_part(&request.idempotency_key, Some(index));
            let reference = match self.get_record(&repo, &key).await? {
                Some(existing) => existing,
                None => {
                    let media = if index == 0 {
                        request.media.as_slice()
                    } else {
                        &[]
                    };
                    let link = if index == 0 {
                        request.link.as_deref()
                    } else {
                        None
                    };
                    let reply = root.as_ref().zip(parent.as_ref());
                    let record = self.post_record(&repo, text, media, link, reply).await?;
                    self.create_record(&repo, &key, record).await?
                }
            };
            root.get_or_insert_with(|| reference.clone());
            parent = Some(reference);
        }
        let root = root.ok_or_else(|| PublishError::Permanent {
            message: "a post needs at least one part".into(),
        })?;
        if let Some(comment) = request
            .first_comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            let key = rkey::for_part(&request.idempotency_key, None);
            if let Err(error) = self.first_comment(&repo, &key, comment, &root).await {
                // The post is out; a retry here would publish it again.
                tracing::warn!(network = "bluesky", error = %error, "the first comment could not be posted; the post itself is published");
            }
        }
        Ok(self.published(account, &root.uri))
    }

    async fn first_comment(
        &self,
        repo: &Repo<'_>,
        key: &str,
        text: &str,
        root: &StrongRef,
    ) -> Result<(), PublishError> {
        if self.get_record(repo, key).await?.is_none() {
            let record = self
                .post_record(repo, text, &[], None, Some((root, root)))
                .await?;
            self.create_record(repo, key, record).await?;
        }
        Ok(())
    }

    pub(super) async fn find(
        &self,
        account: &AccountContext,
        idempotency_key: &str,
    ) -> Result<Option<Published>, PublishError> {
        let repo = self.repo(account)?;
        let key = rkey::for_part(idempotency_key, Some(0));
        Ok(self
            .get_record(&repo, &key)
            .await?
            .map(|found| self.published(account, &found.uri)))
    }

    pub(super) async fn delete_post(
        &self,
        account: &AccountContext,
        platform_post_id: &str,
    ) -> Result<(), PublishError> {
        let repo = self.repo(account)?;
        let (owner, collection, key) =
            split_at_uri(platform_post_id).ok_or_else(|| PublishError::Permanent {
                message: format!("{platform_post_id} is not a Bluesky post id (at://…)"),
            })?;
        if owner != repo.did || collection != COLLECTION {
            return Err(PublishError::Permanent {
                message: format!("{platform_post_id} is not a post of {}", account.handle),
            });
        }
        let url = format!("{}/xrpc/com.atproto.repo.deleteRecord", repo.pds);
        let body = json!({ "repo": repo.did, "collection": COLLECTION, "rkey": key });
        xrpc::send(self.http.post(url).bearer_auth(repo.token).json(&body)).await?;
        Ok(())
    }

    /// A reply to someone else's post (inbox answers): its own root and the post as parent.
    pub(super) async fn reply_to(
        &self,
        account: &AccountContext,
        parent_uri: &str,
        text: &str,
    ) -> Result<Published, PublishError> {
        let repo = self.repo(account)?;
        let (owner, collection, key) =
            split_at_uri(parent_uri).ok_or_else(|| PublishError::Permanent {
                message: format!("{parent_uri} is not a Bluesky post"),
            })?;
        let url = format!("{}/xrpc/com.atproto.repo.getRecord", repo.pds);
        let response = xrpc::send(self.http.get(url).bearer_auth(repo.token).query(&[
            ("repo", owner),
            ("collection", collection),
            ("rkey", key),
        ]))
        .await?;
        let record: Record = xrpc::json(response).await?;
        let parent = StrongRef {
            uri: record.uri,
            cid: record.cid.unwrap_or_default(),
        };
        let root = record
            .value
            .pointer("/reply/root")
            .and_then(|r| serde_json::from_value::<StrongRef>(r.clone()).ok())
            .unwrap_or_else(|| parent.clone());
        let post = self
            .post_record(&repo, text, &[], None, Some((&root, &parent)))
            .await?;
        // A fresh TID-shaped key from the parent and the text: answering twice is one reply.
        let reply_key = rkey::for_part(&format!("reply:{parent_uri}:{text}"), Some(0));
        let created = match self.get_record(&repo, &reply_key).await? {
            Some(existing) => existing,
            None => self.create_record(&repo, &reply_key, post).await?,
        };
        Ok(self.published(account, &created.uri))
    }

    pub(super) fn repo<'a>(&self, account: &'a AccountContext) -> Result<Repo<'a>, PublishError> {
        let token = account.token()?;
        if !account.platform_account_id.starts_with("did:") {
            return Err(PublishError::Reconnect {
                message: format!(
                    "the Bluesky account {} has no DID on record: connect it again",
                    account.handle
                ),
            });
        }
        Ok(Repo {
            pds: self.pds_of(account),
            did: &account.platform_account_id,
            token,
        })
    }

    fn published(&self, account: &AccountContext, uri: &str) -> Published {
        let key = split_at_uri(uri).map_or("", |(_, _, k)| k);
        let profile = if account.handle.is_empty() {
            account.platform_account_id.as_str()
        } else {
            account.handle.trim_start_matches('@')
        };
        Published {
            platform_post_id: uri.to_owned(),
            url: Some(format!("{}/profile/{profile}/post/{key}", self.web)),
        }
    }

    /// The record at `key` in the account's posts, if there is one.
    async fn get_record(
        &self,
        repo: &Repo<'_>,
        key: &str,
    ) -> Result<Option<StrongRef>, PublishError> {
        let url = format!("{}/xrpc/com.atproto.repo.getRecord", repo.pds);
        let request = self.http.get(url).bearer_auth(repo.token).query(&[
            ("repo", repo.did),
            ("collection", COLLECTION),
            ("rkey", key),
        ]);
        let response = http::send(Network::Bluesky, request).await?;
        if response.status().is_success() {
            let record: Record = xrpc::json(response).await?;
            return Ok(Some(StrongRef {
                uri: record.uri,
                cid: record.cid.unwrap_or_default(),
            }));
        }
        let (status, headers) = (response.status(), response.headers().clone());
        let body = response.text().await.unwrap_or_default();
        if status.as_u16() == 400 && XrpcError::parse(&body).is_not_found() {
            return Ok(None);
        }
        Err(xrpc::classify(status, &headers, &body))
    }

    async fn create_record(
        &self,
        repo: &Repo<'_>,
        key: &str,
        record: Value,
    ) -> Result<StrongRef, PublishError> {
        let url = format!("{}/xrpc/com.atproto.repo.createRecord", repo.pds);
        let body =
            json!({ "repo": repo.did, "collection": COLLECTION, "rkey": key, "record": record });
        match xrpc::send(self.http.post(url).bearer_auth(repo.token).json(&body)).await {
            Ok(response) => xrpc::json(response).await,
            // Created meanwhile (an earlier answer was lost; the PDS answers a taken key with a
            // 500): the key says it is ours.
            Err(error @ (PublishError::Permanent { .. } | PublishError::Transient { .. })) => {
                self.get_record(repo, key).await?.ok_or(error)
            }
            Err(error) => Err(error),
        }
    }

    async fn post_record(
        &self,
        repo: &Repo<'_>,
        text: &str,
        media: &[MediaAttachment],
        link: Option<&str>,
        reply: Option<(&StrongRef, &StrongRef)>,
    ) -> Result<Value, PublishError> {
        let mut record =
            json!({ "$type": COLLECTION, "text": text, "createdAt": Timestamp::now().to_string() });
        let facets = self.facets(repo, text).await;
        if !facets.is_empty() {
            record["facets"] = Value::Array(facets);
        }
        if let Some((root, parent)) = reply {
            record["reply"] = json!({ "root": root, "parent": parent });
        }
        if let Some(embed) = self.embed(repo, media, link).await? {
            record["embed"] = embed;
        }
        Ok(record)
    }

    async fn facets(&self, repo: &Repo<'_>, text: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for span in facets::detect(text) {
            let did = match &span.feature {
                facets::Feature::Mention(handle) => match self.resolve_handle(repo, handle).await {
                    Some(did) => Some(did),
                    // An unknown handle stays plain text, as in the Bluesky app.
                    None => continue,
                },
                _ => None,
            };
            out.extend(facets::to_json(&span, did.as_deref()));
        }
        out
    }

    async fn resolve_handle(&self, repo: &Repo<'_>, handle: &str) -> Option<String> {
        let url = format!("{}/xrpc/com.atproto.identity.resolveHandle", repo.pds);
        let response = self
            .http
            .get(url)
            .query(&[("handle", handle)])
            .send()
            .await
            .ok()?;
        let body: Value = response.error_for_status().ok()?.json().await.ok()?;
        body.get("did")?.as_str().map(str::to_owned)
    }

    async fn embed(
        &self,
        repo: &Repo<'_>,
        media: &[MediaAttachment],
        link: Option<&str>,
    ) -> Result<Option<Value>, PublishError> {
        if let Some(video) = media.iter().find(|m| m.kind == MediaKind::Video) {
            let blob = self.upload_blob(repo, video).await?;
            let mut embed = json!({ "$type": "app.bsky.embed.video", "video": blob });
            if let Some(alt) = video.alt_text.as_deref().filter(|a| !a.is_empty()) {
                embed["alt"] = json!(alt);
            }
            if let (Some(width), Some(height)) = (video.width, video.height) {
                embed["aspectRatio"] = json!({ "width": width, "height": height });
            }
            return Ok(Some(embed));
        }
        if !media.is_empty() {
            let mut images = Vec::new();
            for image in media {
                let blob = self.upload_blob(repo, image).await?;
                let mut entry =
                    json!({ "image": blob, "alt": image.alt_text.clone().unwrap_or_default() });
                if let (Some(width), Some(height)) = (image.width, image.height) {
                    entry["aspectRatio"] = json!({ "width": width, "height": height });
                }
                images.push(entry);
            }
            return Ok(Some(
                json!({ "$type": "app.bsky.embed.images", "images": images }),
            ));
        }
        // A link card without a preview fetch: the URL is its own title.
        Ok(link.map(|uri| json!({ "$type": "app.bsky.embed.external", "external": { "uri": uri, "title": uri, "description": "" } })))
    }

    async fn upload_blob(
        &self,
        repo: &Repo<'_>,
        media: &MediaAttachment,
    ) -> Result<Value, PublishError> {
        let url = format!("{}/xrpc/com.atproto.repo.uploadBlob", repo.pds);
        let request = self
            .http
            .post(url)
            .bearer_auth(repo.token)
            .header("content-type", media.mime.as_str())
            .body(media.bytes.clone());
        let uploaded: UploadedBlob = xrpc::json(xrpc::send(request).await?).await?;
        Ok(uploaded.blob)
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
            "a Bluesky post needs text in every part (only a first part with media may be empty)"
                .into(),
        );
    }
    if let Some(long) = request.parts.iter().find(|p| p.len() > MAX_TEXT_BYTES) {
        return refuse(format!(
            "a Bluesky post takes at most {MAX_TEXT_BYTES} bytes of text; this part has {}",
            long.len()
        ));
    }
    let videos = request
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Video)
        .count();
    if videos > 1 || (videos == 1 && request.media.len() > 1) {
        return refuse("a Bluesky post takes one video, without images".into());
    }
    if request.media.len() > MAX_IMAGES {
        return refuse(format!(
            "a Bluesky post takes at most {MAX_IMAGES} images; this one has {}",
            request.media.len()
        ));
    }
    for media in &request.media {
        let limit = if media.kind == MediaKind::Video {
            MAX_VIDEO_BYTES
        } else {
            MAX_IMAGE_BYTES
        };
        if media.bytes.len() > limit {
            return refuse(format!(
                "{} is {} bytes; Bluesky takes at most {limit} bytes per {}",
                media.file_name,
                media.bytes.len(),
                if media.kind == MediaKind::Video {
                    "video"
                } else {
                    "image"
                }
            ));
        }
    }
    Ok(())
}
