//! The Page's inbox: Messenger messages and comments (and replies to comments) on its recent posts, newest first per
//! post, skipping the Page's own (<https://developers.facebook.com/docs/graph-api/reference/object/comments>).
//! Messenger messages come from [`super::messenger`]. The cursor is the newest item time seen,
//! in Unix seconds; the next fetch keeps only newer items.

use serde::Deserialize;
use zenalto_domain::Timestamp;

use super::FacebookConnector;
use crate::{
    AccountContext, InboxItem, InboxKind, InboxPage, PublishError, Published,
    meta::{
        self,
        conversations::{self, Mailbox},
        graph::{Created, List},
    },
};

/// How many recent posts are looked at, and how many comments of each.
const POSTS: &str = "10";
const COMMENTS: &str = "50";

#[derive(Deserialize)]
struct PostRef {
    id: String,
}

#[derive(Deserialize)]
struct Comment {
    id: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    created_time: Option<String>,
    #[serde(default)]
    from: Option<From>,
    #[serde(default)]
    parent: Option<PostRef>,
}

#[derive(Deserialize)]
struct From {
    id: String,
    #[serde(default)]
    name: String,
}

impl FacebookConnector {
    pub(super) async fn comments_inbox(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        let token = account.token()?;
        let page = Self::page_id(account)?;
        let after = since
            .and_then(|s| s.parse::<i64>().ok())
            .map(|secs| Timestamp::from_millis(secs * 1000));
        let posts: List<PostRef> = self
            .graph
            .get(
                token,
                &format!("{page}/feed"),
                &[("fields", "id"), ("limit", POSTS)],
            )
            .await?;
        let mut items = Vec::new();
        for post in posts.data {
            let query = [
                ("fields", "id,message,created_time,from{id,name},parent{id}"),
                ("filter", "stream"),
                ("order", "reverse_chronological"),
                ("limit", COMMENTS),
            ];
            let comments: List<Comment> = self
                .graph
                .get(token, &format!("{}/comments", post.id), &query)
                .await?;
            for comment in comments.data {
                let Some(at) = comment.created_time.as_deref().and_then(meta::parse_time) else {
                    continue;
                };
                let Some(from) = comment.from else { continue };
                if from.id == page || after.is_some_and(|after| at <= after) {
                    continue;
                }
                let (kind, in_reply_to) = match comment.parent {
                    Some(parent) => (InboxKind::Reply, Some(parent.id)),
                    None => (InboxKind::Comment, Some(post.id.clone())),
                };
                items.push(InboxItem {
                    platform_id: comment.id,
                    kind,
                    thread_id: post.id.clone(),
                    author_id: from.id,
                    author: from.name,
                    text: comment.message,
                    in_reply_to,
                    at,
                });
            }
        }
        // The Page's Messenger conversations join its comments.
        let mailbox = Mailbox { page, platform: "messenger", own_id: page, permission: "pages_messaging" };
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

    /// Answers a comment with a comment under it (Facebook nests one level: a reply to a reply
    /// joins the same thread).
    pub(super) async fn reply_to_comment(
        &self,
        account: &AccountContext,
        to: &crate::InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        if to.kind == InboxKind::DirectMessage {
            let page = Self::page_id(account)?;
            return conversations::send(&self.graph, account.token()?, page, Some("RESPONSE"), to, text).await;
        }
        let target = match to.kind {
            InboxKind::Reply => to.in_reply_to.as_deref().unwrap_or(&to.platform_id),
            _ => to.platform_id.as_str(),
        };
        let created: Created = self
            .graph
            .post(
                account.token()?,
                &format!("{target}/comments"),
                &[("message", text)],
            )
            .await?;
        Ok(Published {
            url: Some(self.post_url(&created.id)),
            platform_post_id: created.id,
        })
    }
}
