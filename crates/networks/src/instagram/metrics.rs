//! Figures of a media from `/{ig-media-id}/insights` (reach, likes, comments, shares, saved,
//! views; <https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights>),
//! falling back to the media's `like_count`/`comments_count` when insights are refused, and the
//! account's counts from its own fields.

use serde::Deserialize;

use super::InstagramConnector;
use crate::{
    AccountContext, AccountMetrics, PostMetrics, PublishError,
    meta::{
        graph::{List, is_fatal},
        insights::{Insight, find},
    },
};

#[derive(Deserialize)]
struct MediaCounts {
    #[serde(default)]
    like_count: Option<u64>,
    #[serde(default)]
    comments_count: Option<u64>,
}

#[derive(Deserialize)]
struct AccountFields {
    #[serde(default)]
    followers_count: Option<u64>,
    #[serde(default)]
    follows_count: Option<u64>,
    #[serde(default)]
    media_count: Option<u64>,
}

impl InstagramConnector {
    pub(super) async fn metrics_of_media(
        &self,
        account: &AccountContext,
        media_id: &str,
    ) -> Result<PostMetrics, PublishError> {
        let token = account.token()?;
        match self
            .graph
            .get::<List<Insight>>(
                token,
                &format!("{media_id}/insights"),
                &[("metric", "reach,likes,comments,shares,saved,views")],
            )
            .await
        {
            Ok(insights) => Ok(PostMetrics {
                impressions: find(&insights.data, "views"),
                reach: find(&insights.data, "reach"),
                likes: find(&insights.data, "likes"),
                comments: find(&insights.data, "comments"),
                shares: find(&insights.data, "shares"),
                saves: find(&insights.data, "saved"),
                clicks: None,
                video_views: None,
            }),
            Err(error) if is_fatal(&error) => Err(error),
            Err(error) => {
                tracing::warn!(network = "instagram", media = %media_id, error = %error, "media insights unavailable; counts only");
                let counts: MediaCounts = self
                    .graph
                    .get(token, media_id, &[("fields", "like_count,comments_count")])
                    .await?;
                Ok(PostMetrics {
                    likes: counts.like_count,
                    comments: counts.comments_count,
                    ..PostMetrics::default()
                })
            }
        }
    }

    pub(super) async fn metrics_of_account(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        let ig = Self::ig_user(account)?;
        let fields: AccountFields = self
            .graph
            .get(
                account.token()?,
                ig,
                &[("fields", "followers_count,follows_count,media_count")],
            )
            .await?;
        Ok(AccountMetrics {
            followers: fields.followers_count,
            following: fields.follows_count,
            posts: fields.media_count,
            ..AccountMetrics::default()
        })
    }
}
