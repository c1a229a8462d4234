//! Reads that need an AppView (<https://docs.bsky.app/docs/advanced-guides/api-directory>):
//! counts of a post and of a profile from the public AppView (`appview`, no token needed), and
//! notifications through the account's PDS, which proxies `app.bsky.notification.*` to the
//! AppView it is configured with.

use zenalto_domain::Timestamp;

use super::{
    BlueskyConnector,
    wire::{Notifications, Posts, Profile},
    xrpc,
};
use crate::{
    AccountContext, AccountMetrics, InboxItem, InboxKind, InboxPage, PostMetrics, PublishError,
};

impl BlueskyConnector {
    pub(super) async fn metrics_of_post(&self, uri: &str) -> Result<PostMetrics, PublishError> {
        let url = format!("{}/xrpc/app.bsky.feed.getPosts", self.appview);
        let posts: Posts =
            xrpc::json(xrpc::send(self.http.get(url).query(&[("uris", uri)])).await?).await?;
        let post = posts
            .posts
            .into_iter()
            .find(|p| p.uri == uri)
            .ok_or_else(|| PublishError::Permanent {
                message: format!(
                    "Bluesky does not show the post {uri} (deleted, or not indexed yet)"
                ),
            })?;
        let shares = match (post.repost_count, post.quote_count) {
            (None, None) => None,
            (reposts, quotes) => Some(reposts.unwrap_or(0) + quotes.unwrap_or(0)),
        };
        Ok(PostMetrics {
            likes: post.like_count,
            comments: post.reply_count,
            shares,
            ..PostMetrics::default()
        })
    }

    pub(super) async fn metrics_of_account(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        let url = format!("{}/xrpc/app.bsky.actor.getProfile", self.appview);
        let profile: Profile = xrpc::json(
            xrpc::send(
                self.http
                    .get(url)
                    .query(&[("actor", account.platform_account_id.as_str())]),
            )
            .await?,
        )
        .await?;
        Ok(AccountMetrics {
            followers: profile.followers_count,
            following: profile.follows_count,
            posts: profile.posts_count,
            ..AccountMetrics::default()
        })
    }

    /// Replies, mentions and quotes newer than `since` (the `indexedAt` of the newest item seen).
    pub(super) async fn notifications(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        let repo = self.repo(account)?;
        let url = format!("{}/xrpc/app.bsky.notification.listNotifications", repo.pds);
        let request = self
            .http
            .get(url)
            .bearer_auth(repo.token)
            .query(&[("limit", "50")]);
        let page: Notifications = xrpc::json(xrpc::send(request).await?).await?;
        let since_at = since.and_then(Timestamp::parse_rfc3339);
        let mut newest = since.map(str::to_owned);
        let mut items = Vec::new();
        for n in page.notifications {
            let kind = match n.reason.as_str() {
                "reply" => InboxKind::Reply,
                "mention" | "quote" => InboxKind::Mention,
                _ => continue,
            };
            let Some(at) = Timestamp::parse_rfc3339(&n.indexed_at) else {
                continue;
            };
            if since_at.is_some_and(|s| at <= s) {
                continue;
            }
            if newest
                .as_deref()
                .and_then(Timestamp::parse_rfc3339)
                .is_none_or(|s| at > s)
            {
                newest = Some(n.indexed_at.clone());
            }
            let text = n
                .record
                .get("text")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_owned();
            let parent = n
                .record
                .pointer("/reply/parent/uri")
                .and_then(|u| u.as_str())
                .map(str::to_owned);
            let root = n
                .record
                .pointer("/reply/root/uri")
                .and_then(|u| u.as_str())
                .map(str::to_owned);
            items.push(InboxItem {
                thread_id: root.unwrap_or_else(|| n.uri.clone()),
                platform_id: n.uri,
                kind,
                author_id: n.author.did,
                author: n.author.handle,
                text,
                in_reply_to: parent,
                at,
            });
        }
        Ok(InboxPage {
            items,
            cursor: newest,
        })
    }
}
