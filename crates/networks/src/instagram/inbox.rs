//! The account's inbox: comments on its recent media, skipping its own
//! (<https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments>),
//! answered with `POST /{ig-comment-id}/replies`. Replies under comments and direct messages are
//! not read (docs/networks/instagram.md). The cursor is the newest comment time seen (Unix
//! seconds).

use serde::Deserialize;
use zenalto_domain::Timestamp;

use super::InstagramConnector;
use crate::{
    AccountContext, InboxItem, InboxKind, InboxPage, PublishError, Published,
    meta::{
        self,
        graph::{Created, List},
    },
};

#[derive(Deserialize)]
struct MediaRef {
    id: String,
}

#[derive(Deserialize)]
struct Comment {
    id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    from: Option<From>,
}

#[derive(Deserialize)]
struct From {
    id: String,
    #[serde(default)]
    username: Option<String>,
}

impl InstagramConnector {
    pub(super) async fn comments_inbox(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        let token = account.token()?;
        let ig = Self::ig_user(account)?;
        let after = since
            .and_then(|s| s.parse::<i64>().ok())
            .map(|secs| Timestamp::from_millis(secs * 1000));
        let media: List<MediaRef> = self
            .graph
            .get(
                token,
                &format!("{ig}/media"),
                &[("fields", "id"), ("limit", "10")],
            )
            .await?;
        let mut items = Vec::new();
        for post in media.data {
            let comments: List<Comment> = self
                .graph
                .get(
                    token,
                    &format!("{}/comments", post.id),
                    &[
                        ("fields", "id,text,username,timestamp,from{id,username}"),
                        ("limit", "50"),
                    ],
                )
                .await?;
            for comment in comments.data {
                let Some(at) = comment.timestamp.as_deref().and_then(meta::parse_time) else {
                    continue;
                };
                let author = comment
                    .username
                    .clone()
                    .or_else(|| comment.from.as_ref().and_then(|f| f.username.clone()))
                    .unwrap_or_default();
                let author_id = comment.from.map(|f| f.id).unwrap_or_else(|| author.clone());
                if author_id == ig
                    || author == account.handle
                    || after.is_some_and(|after| at <= after)
                {
                    continue;
                }
                items.push(InboxItem {
                    platform_id: comment.id,
                    kind: InboxKind::Comment,
                    thread_id: post.id.clone(),
                    author_id,
                    author,
                    text: comment.text,
                    in_reply_to: Some(post.id.clone()),
                    at,
                });
            }
        }
        items.sort_by_key(|item| item.at);
        let newest = items
            .last()
            .map(|item| (item.at.as_millis() / 1000).to_string());
        Ok(InboxPage {
            items,
            cursor: newest.or_else(|| since.map(str::to_owned)),
        })
    }

    pub(super) async fn reply_to_comment(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        let created: Created = self
            .graph
            .post(
                account.token()?,
                &format!("{}/replies", to.platform_id),
                &[("message", text)],
            )
            .await?;
        Ok(Published {
            platform_post_id: created.id,
            url: None,
        })
    }
}
