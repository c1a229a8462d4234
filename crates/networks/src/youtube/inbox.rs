//! Comments on the channel's videos (`commentThreads.list` with `allThreadsRelatedToChannelId`,
//! newest first) and replies to them (`comments.insert` with `snippet.parentId`). YouTube has no
//! direct messages in the Data API. The cursor is the publication time (epoch milliseconds) of
//! the newest comment seen; comments by the channel itself are left out.

use zenalto_domain::{Timestamp, publishing::Network};

use super::{
    YouTubeConnector,
    wire::{Comment, CommentThread, List},
};
use crate::{AccountContext, InboxItem, InboxKind, InboxPage, PublishError, Published, http};

impl YouTubeConnector {
    pub(super) async fn fetch_inbox(&self, account: &AccountContext, since: Option<&str>) -> Result<InboxPage, PublishError> {
        let token = account.token()?;
        let since_millis: i64 = since.and_then(|s| s.parse().ok()).unwrap_or(i64::MIN);
        let url = format!("{}/commentThreads", self.api);
        let query = [
            ("part", "snippet,replies"),
            ("allThreadsRelatedToChannelId", account.platform_account_id.as_str()),
            ("order", "time"),
            ("maxResults", "100"),
            ("textFormat", "plainText"),
        ];
        let response = self.call(self.http.get(url).bearer_auth(token).query(&query)).await?;
        let threads: List<CommentThread> = http::json(Network::YouTube, response).await?;
        let mut items = Vec::new();
        for thread in threads.items {
            let video = thread.snippet.video_id.clone().unwrap_or_default();
            let top = &thread.snippet.top_level_comment;
            push(&mut items, top, &video, InboxKind::Comment, None, account, since_millis);
            for reply in thread.replies.iter().flat_map(|r| r.comments.iter()) {
                push(&mut items, reply, &video, InboxKind::Reply, Some(top.id.clone()), account, since_millis);
            }
        }
        items.sort_by_key(|item| item.at);
        let newest = items.last().map(|item| item.at.as_millis());
        let cursor = newest.map(|m| m.max(since_millis).to_string()).or_else(|| since.map(str::to_owned));
        Ok(InboxPage { items, cursor })
    }

    pub(super) async fn reply_to(&self, account: &AccountContext, to: &InboxItem, text: &str) -> Result<Published, PublishError> {
        let token = account.token()?;
        // YouTube threads are one level deep: a reply to a reply answers the top-level comment.
        let parent = to.in_reply_to.clone().unwrap_or_else(|| to.platform_id.clone());
        let body = serde_json::json!({ "snippet": { "parentId": parent, "textOriginal": text } });
        let url = format!("{}/comments?part=snippet", self.api);
        let response = self.call(self.http.post(url).bearer_auth(token).json(&body)).await?;
        let comment: Comment = http::json(Network::YouTube, response).await?;
        let url = (!to.thread_id.is_empty()).then(|| format!("https://www.youtube.com/watch?v={}&lc={}", to.thread_id, comment.id));
        Ok(Published { platform_post_id: comment.id, url })
    }
}

fn push(items: &mut Vec<InboxItem>, comment: &Comment, video: &str, kind: InboxKind, parent: Option<String>, account: &AccountContext, since: i64) {
    let snippet = &comment.snippet;
    let author_id = snippet.author_channel_id.as_ref().map(|a| a.value.clone()).unwrap_or_default();
    if !account.platform_account_id.is_empty() && author_id == account.platform_account_id {
        return;
    }
    let at = snippet.published_at.as_deref().and_then(Timestamp::parse_rfc3339).unwrap_or_else(|| Timestamp::from_millis(0));
    if at.as_millis() <= since {
        return;
    }
    let video = snippet.video_id.clone().unwrap_or_else(|| video.to_owned());
    items.push(InboxItem {
        platform_id: comment.id.clone(),
        kind,
        thread_id: video,
        author_id,
        author: snippet.author_display_name.clone(),
        text: snippet.text_original.clone().unwrap_or_else(|| snippet.text_display.clone()),
        in_reply_to: parent.or_else(|| snippet.parent_id.clone()),
        at,
    });
}
