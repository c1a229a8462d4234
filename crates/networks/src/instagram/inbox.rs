//! The account's inbox: comments on its recent media and the replies under them, skipping its
//! own (<https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments>,
//! <https://developers.facebook.com/docs/instagram-api/guides/comment-moderation>), answered with
//! `POST /{ig-comment-id}/replies`. Direct messages come from [`super::messaging`]. The cursor is
//! the newest item time seen (comment or message, in Unix seconds); the next fetch keeps only
//! newer items.

use serde::Deserialize;
use zenalto_domain::Timestamp;

use super::InstagramConnector;
use crate::{
    AccountContext, InboxItem, InboxKind, InboxPage, PublishError, Published,
    meta::{
        self,
        conversations::{self, Mailbox},
        graph::{Created, List},
    },
};

const COMMENT_FIELDS: &str = "id,text,username,timestamp,from{id,username},replies{id,text,username,timestamp,from{id,username}}";

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
    #[serde(default)]
    replies: Option<List<Comment>>,
}

#[derive(Deserialize)]
struct From {
    id: String,
    #[serde(default)]
    username: Option<String>,
}

/// Where a comment sits: its media, and the comment it answers (for replies).
struct Place<'a> {
    media: &'a str,
    parent: Option<&'a str>,
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
                    &[("fields", COMMENT_FIELDS), ("limit", "50")],
                )
                .await?;
            for mut comment in comments.data {
                let replies = comment.replies.take().map(|r| r.data).unwrap_or_default();
                let id = comment.id.clone();
                items.extend(item(
                    comment,
                    &Place {
                        media: &post.id,
                        parent: None,
                    },
                    account,
                    ig,
                    after,
                ));
                for reply in replies {
                    items.extend(item(
                        reply,
                        &Place {
                            media: &post.id,
                            parent: Some(&id),
                        },
                        account,
                        ig,
                        after,
                    ));
                }
            }
        }
        // Direct messages, through the linked Page (`me` with its token).
        let mailbox = Mailbox { page: "me", platform: "instagram", own_id: ig, permission: "instagram_manage_messages" };
        items.extend(conversations::direct_messages(&self.graph, token, &mailbox, after).await?);
        items.sort_by_key(|item| item.at);
        let newest = items
            .last()
            .map(|item| (item.at.as_millis() / 1000).to_string());
        Ok(InboxPage {
            items,
            cursor: newest.or_else(|| since.map(str::to_owned)),
        })
    }

    /// Instagram threads replies one level deep: an answer to a reply goes under its comment. A
    /// direct message is answered with a direct message.
    pub(super) async fn reply_to_comment(
        &self,
        account: &AccountContext,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        if to.kind == InboxKind::DirectMessage {
            return conversations::send(&self.graph, account.token()?, "me", None, to, text).await;
        }
        let target = match to.kind {
            InboxKind::Reply => to.in_reply_to.as_deref().unwrap_or(&to.platform_id),
            _ => to.platform_id.as_str(),
        };
        let created: Created = self
            .graph
            .post(
                account.token()?,
                &format!("{target}/replies"),
                &[("message", text)],
            )
            .await?;
        Ok(Published {
            platform_post_id: created.id,
            url: None,
        })
    }
}

/// An inbox item for a comment by someone else, newer than `after`.
fn item(
    comment: Comment,
    place: &Place<'_>,
    account: &AccountContext,
    ig: &str,
    after: Option<Timestamp>,
) -> Option<InboxItem> {
    let at = comment.timestamp.as_deref().and_then(meta::parse_time)?;
    let author = comment
        .username
        .clone()
        .or_else(|| comment.from.as_ref().and_then(|f| f.username.clone()))
        .unwrap_or_default();
    let author_id = comment.from.map(|f| f.id).unwrap_or_else(|| author.clone());
    if author_id == ig || author == account.handle || after.is_some_and(|after| at <= after) {
        return None;
    }
    let (kind, in_reply_to) = match place.parent {
        Some(parent) => (InboxKind::Reply, parent.to_owned()),
        None => (InboxKind::Comment, place.media.to_owned()),
    };
    Some(InboxItem {
        platform_id: comment.id,
        kind,
        thread_id: place.media.to_owned(),
        author_id,
        author,
        text: comment.text,
        in_reply_to: Some(in_reply_to),
        at,
    })
}
