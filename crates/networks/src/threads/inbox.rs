//! Replies to the account's recent posts, at any depth, from `/{media-id}/conversation`
//! (<https://developers.facebook.com/docs/threads/reply-management>), skipping the account's
//! own. Threads has no direct messages in its API. The cursor is the newest reply time seen
//! (Unix seconds).

use serde::Deserialize;
use zenalto_domain::Timestamp;

use super::ThreadsConnector;
use crate::{
    AccountContext, InboxItem, InboxKind, InboxPage, PublishError,
    meta::{self, graph::List},
};

#[derive(Deserialize)]
struct PostRef {
    id: String,
}

#[derive(Deserialize)]
struct Reply {
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    replied_to: Option<PostRef>,
}

impl ThreadsConnector {
    pub(super) async fn replies_inbox(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        let token = account.token()?;
        let user = Self::user(account)?;
        let after = since
            .and_then(|s| s.parse::<i64>().ok())
            .map(|secs| Timestamp::from_millis(secs * 1000));
        let posts: List<PostRef> = self
            .graph
            .get(
                token,
                &format!("{user}/threads"),
                &[("fields", "id"), ("limit", "10")],
            )
            .await?;
        let mut items = Vec::new();
        for post in posts.data {
            let query = [
                ("fields", "id,text,username,timestamp,replied_to"),
                ("reverse", "false"),
            ];
            let replies: List<Reply> = self
                .graph
                .get(token, &format!("{}/conversation", post.id), &query)
                .await?;
            for reply in replies.data {
                let Some(at) = reply.timestamp.as_deref().and_then(meta::parse_time) else {
                    continue;
                };
                let author = reply.username.unwrap_or_default();
                if author == account.handle || after.is_some_and(|after| at <= after) {
                    continue;
                }
                let in_reply_to = reply
                    .replied_to
                    .map(|r| r.id)
                    .unwrap_or_else(|| post.id.clone());
                let kind = if in_reply_to == post.id {
                    InboxKind::Comment
                } else {
                    InboxKind::Reply
                };
                items.push(InboxItem {
                    platform_id: reply.id,
                    kind,
                    thread_id: post.id.clone(),
                    author_id: author.clone(),
                    author,
                    text: reply.text.unwrap_or_default(),
                    in_reply_to: Some(in_reply_to),
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
}
