//! Figures of a post and of the Page. Counts come from the post's own fields
//! (`likes.summary(true)`, `comments.summary(true)`, `shares`); views, reach and clicks from
//! `/{post-id}/insights` (<https://developers.facebook.com/docs/graph-api/reference/insights>)
//! with the metrics Meta names as replacements for the impressions it deprecated in 2025. Insights
//! are only kept for Pages with 100 likes or more, so a refused insights call leaves those
//! figures empty instead of failing the counts.

use serde::Deserialize;

use super::FacebookConnector;
use crate::{
    AccountContext, AccountMetrics, PostMetrics, PublishError,
    meta::{
        graph::{List, is_fatal},
        insights::{Insight, find},
    },
};

/// Reach (Meta's named replacement for `post_impressions_unique`) and clicks.
const POST_INSIGHTS: &str = "post_total_media_view_unique,post_clicks";
/// Views: asked on its own, since Meta's pages we read do not list it and one invalid metric
/// fails the whole insights call.
const POST_VIEWS: &str = "post_media_view";

#[derive(Deserialize)]
struct Counts {
    #[serde(default)]
    likes: Option<Summarised>,
    #[serde(default)]
    comments: Option<Summarised>,
    #[serde(default)]
    shares: Option<Shares>,
}

#[derive(Deserialize)]
struct Summarised {
    #[serde(default)]
    summary: Option<Summary>,
}

#[derive(Deserialize)]
struct Summary {
    #[serde(default)]
    total_count: Option<u64>,
}

#[derive(Deserialize)]
struct Shares {
    #[serde(default)]
    count: Option<u64>,
}

#[derive(Deserialize)]
struct PageFields {
    #[serde(default)]
    followers_count: Option<u64>,
    #[serde(default)]
    fan_count: Option<u64>,
}

impl FacebookConnector {
    pub(super) async fn metrics_of_post(
        &self,
        account: &AccountContext,
        post_id: &str,
    ) -> Result<PostMetrics, PublishError> {
        let token = account.token()?;
        let counts: Counts = self
            .graph
            .get(
                token,
                post_id,
                &[(
                    "fields",
                    "likes.summary(true).limit(0),comments.summary(true).limit(0),shares",
                )],
            )
            .await?;
        let mut metrics = PostMetrics {
            likes: counts
                .likes
                .and_then(|l| l.summary)
                .and_then(|s| s.total_count),
            comments: counts
                .comments
                .and_then(|c| c.summary)
                .and_then(|s| s.total_count),
            shares: Some(counts.shares.and_then(|s| s.count).unwrap_or(0)),
            ..PostMetrics::default()
        };
        if let Some(insights) = self.insights(token, post_id, POST_INSIGHTS).await? {
            metrics.reach = find(&insights, "post_total_media_view_unique");
            metrics.clicks = find(&insights, "post_clicks");
        }
        if let Some(insights) = self.insights(token, post_id, POST_VIEWS).await? {
            metrics.impressions = find(&insights, "post_media_view");
        }
        Ok(metrics)
    }

    /// `None` when Meta refuses these insights for a reason other than the token or a limit.
    async fn insights(
        &self,
        token: &str,
        post_id: &str,
        metrics: &str,
    ) -> Result<Option<Vec<Insight>>, PublishError> {
        match self
            .graph
            .get::<List<Insight>>(
                token,
                &format!("{post_id}/insights"),
                &[("metric", metrics)],
            )
            .await
        {
            Ok(insights) => Ok(Some(insights.data)),
            Err(error) if is_fatal(&error) => Err(error),
            Err(error) => {
                tracing::warn!(network = "facebook", post = %post_id, metrics, error = %error, "post insights unavailable");
                Ok(None)
            }
        }
    }

    pub(super) async fn metrics_of_page(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        let page = Self::page_id(account)?;
        let fields: PageFields = self
            .graph
            .get(
                account.token()?,
                page,
                &[("fields", "followers_count,fan_count")],
            )
            .await?;
        Ok(AccountMetrics {
            followers: fields.followers_count.or(fields.fan_count),
            ..AccountMetrics::default()
        })
    }
}
