//! The inbox: comments on the account's recent posts (`GET /rest/socialActions/{post}/comments`),
//! newer than the cursor (the creation time, in milliseconds, of the newest comment seen).
//! LinkedIn's messaging API is closed to this use, so there are no DMs.
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api>

use zenalto_domain::{Timestamp, publishing::Network};

use super::{LinkedInConnector, errors, urn_path, wire};
use crate::{AccountContext, AccountMetrics, InboxItem, InboxKind, InboxPage, PostMetrics, PublishError, http};

/// How many of the account's latest posts are read for new comments.
const POSTS_READ: u32 = 10;

impl LinkedInConnector {
    pub(super) async fn read_inbox(&self, account: &AccountContext, since: Option<&str>) -> Result<InboxPage, PublishError> {
        let token = account.token()?;
        let author = self.author(account)?;
        let since: i64 = since.and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut newest = since;
        let mut items = Vec::new();
        for post in self.recent_posts(token, author, POSTS_READ).await? {
            let request = self.rest(self.http.get(format!("{}/rest/socialActions/{}/comments", self.api, urn_path(&post.id))), token);
            let comments: wire::Elements<wire::Comment> = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
            for comment in comments.elements {
                let time = comment.created.as_ref().map(|c| c.time).unwrap_or(0);
                if time <= since || comment.actor == author {
                    continue;
                }
                newest = newest.max(time);
                let Some(id) = comment.urn() else { continue };
                items.push(InboxItem {
                    platform_id: id,
                    kind: if comment.parent_comment.is_some() { InboxKind::Reply } else { InboxKind::Comment },
                    thread_id: post.id.clone(),
                    author_id: comment.actor.clone(),
                    author: comment.actor,
                    text: comment.message.map(|m| m.text).unwrap_or_default(),
                    in_reply_to: comment.parent_comment,
                    at: Timestamp::from_millis(time),
                });
            }
        }
        items.sort_by_key(|i| i.at.as_millis());
        Ok(InboxPage { items, cursor: Some(newest.to_string()) })
    }

    /// Likes and comments from socialActions for any post; for an organization's post also
    /// impressions, clicks and shares from organizationalEntityShareStatistics.
    pub(super) async fn read_post_metrics(&self, account: &AccountContext, post: &str) -> Result<PostMetrics, PublishError> {
        let token = account.token()?;
        let author = self.author(account)?;
        let request = self.rest(self.http.get(format!("{}/rest/socialActions/{}", self.api, urn_path(post))), token);
        let social: wire::SocialActions = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
        let mut metrics = PostMetrics {
            likes: social.likes_summary.and_then(|l| l.total_likes),
            comments: social.comments_summary.and_then(|c| c.aggregated_total_comments),
            ..PostMetrics::default()
        };
        if author.starts_with("urn:li:organization:") {
            let list = if post.starts_with("urn:li:ugcPost:") { "ugcPosts" } else { "shares" };
            // Rest.li 2.0 query syntax: the list and its URNs are encoded by hand, not as a form.
            let url =
                format!("{}/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={}&{list}=List({})", self.api, urn_path(author), urn_path(post));
            // Share statistics need the ADMINISTRATOR role and cover the last 12 months: a page
            // editor, or an older post, still gets the likes and comments.
            let stats: wire::Elements<wire::ShareStatistics> = match errors::send_ok(self.rest(self.http.get(url), token)).await {
                Ok(response) => http::json(Network::LinkedIn, response).await?,
                Err(PublishError::Permanent { message }) => {
                    tracing::debug!(%message, "LinkedIn: no share statistics for this post");
                    wire::Elements { elements: Vec::new() }
                }
                Err(e) => return Err(e),
            };
            if let Some(totals) = stats.elements.into_iter().next().map(|s| s.total_share_statistics) {
                metrics.impressions = totals.impression_count;
                metrics.reach = totals.unique_impressions_count;
                metrics.clicks = totals.click_count;
                metrics.shares = totals.share_count;
                metrics.likes = totals.like_count.or(metrics.likes);
                metrics.comments = totals.comment_count.or(metrics.comments);
            }
        }
        Ok(metrics)
    }

    /// Followers of an organization (`networkSizes`); LinkedIn reports no figures of a member's
    /// own profile to apps.
    pub(super) async fn read_account_metrics(&self, account: &AccountContext) -> Result<AccountMetrics, PublishError> {
        let token = account.token()?;
        let author = self.author(account)?;
        if !author.starts_with("urn:li:organization:") {
            return Ok(AccountMetrics::default());
        }
        let request = self.rest(self.http.get(format!("{}/rest/networkSizes/{}", self.api, urn_path(author))), token).query(&[("edgeType", "COMPANY_FOLLOWED_BY_MEMBER")]);
        let size: wire::NetworkSize = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
        Ok(AccountMetrics { followers: size.first_degree_size, ..AccountMetrics::default() })
    }
}
