//! The workspace's published posts with their figures, as the prediction, best-time and
//! optimize features read them: the text as published (a per-network override wins), its media
//! kinds, the network, when it went out, and its engagement.

use std::collections::{HashMap, HashSet};

use zenalto_ai::local::predict::{PostShape, Sample};
use zenalto_domain::posts::{ContentOverride, PostContent};
use zenalto_domain::publishing::Network;
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};
use zenalto_store::repo::{ai_models, media};

use crate::{Result, ServiceError, Services};

/// How many of the latest published posts with figures are read.
pub(super) const HISTORY: i64 = 5000;
/// Media ids looked up per query (bind parameters are limited on both backends).
const MEDIA_BATCH: usize = 500;

#[derive(Clone, Debug)]
pub struct PublishedPost {
    pub text: String,
    pub network: Network,
    pub published_at: Timestamp,
    pub images: usize,
    pub videos: usize,
    /// likes + comments + shares + saves
    pub engagement: f64,
}

/// UTC hour (0–23) and weekday (0 = Monday) of an instant.
pub fn utc_hour_weekday(at: Timestamp) -> (u8, u8) {
    let seconds = at.as_millis().div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    (
        ((seconds.rem_euclid(86_400)) / 3600) as u8,
        ((days + 3).rem_euclid(7)) as u8,
    )
}

impl PublishedPost {
    pub fn sample(&self) -> Sample<'_> {
        let (hour, weekday) = utc_hour_weekday(self.published_at);
        Sample {
            shape: PostShape {
                text: &self.text,
                network: self.network,
                hour,
                weekday,
                images: self.images,
                videos: self.videos,
            },
            engagement: self.engagement,
        }
    }
}

/// The text a network received: the override's text or the post's, with its hashtags.
pub fn published_text(content: &PostContent, overrides: Option<&ContentOverride>) -> String {
    let text = overrides
        .and_then(|o| o.text.clone())
        .unwrap_or_else(|| content.text.clone());
    let tags: String = content
        .hashtags
        .iter()
        .map(|t| format!(" #{}", t.trim_start_matches('#')))
        .collect();
    format!("{text}{tags}")
}

impl Services {
    /// The workspace's (or one account's) latest published posts with figures, newest first.
    pub(crate) async fn ai_published(
        &self,
        workspace: WorkspaceId,
        account: Option<AccountId>,
    ) -> Result<Vec<PublishedPost>> {
        let mut conn = self.db.read().await?;
        let rows = ai_models::engagement_history(&mut conn, workspace, account, HISTORY).await?;
        let mut parsed = Vec::with_capacity(rows.len());
        let mut media_ids = HashSet::new();
        for row in &rows {
            let (Ok(content), Ok(network)) = (
                serde_json::from_str::<PostContent>(&row.content),
                row.network.parse::<Network>(),
            ) else {
                continue;
            };
            let overrides = row
                .overrides
                .as_deref()
                .and_then(|o| serde_json::from_str::<ContentOverride>(o).ok());
            let ids = overrides
                .as_ref()
                .and_then(|o| o.media_ids.clone())
                .unwrap_or_else(|| content.media_ids.clone());
            media_ids.extend(ids.iter().cloned());
            parsed.push((
                row,
                published_text(&content, overrides.as_ref()),
                network,
                ids,
            ));
        }
        let ids: Vec<String> = media_ids.into_iter().collect();
        let mut kinds: HashMap<String, String> = HashMap::new();
        for batch in ids.chunks(MEDIA_BATCH) {
            kinds.extend(media::get_many(&mut conn, workspace, batch).await?.into_iter().map(|a| (a.id.to_string(), a.kind)));
        }
        Ok(parsed
            .into_iter()
            .map(|(row, text, network, ids)| {
                let videos = ids
                    .iter()
                    .filter(|id| kinds.get(*id).is_some_and(|k| k == "video"))
                    .count();
                PublishedPost {
                    text,
                    network,
                    published_at: Timestamp::from_millis(row.published_at),
                    images: ids.len() - videos,
                    videos,
                    engagement: row.engagement(),
                }
            })
            .collect())
    }

    /// Images and videos among a draft's media; an id not in the workspace's library is a 422.
    pub(crate) async fn ai_media_mix(
        &self,
        workspace: WorkspaceId,
        ids: &[String],
    ) -> Result<(usize, usize)> {
        if ids.is_empty() {
            return Ok((0, 0));
        }
        let mut conn = self.db.read().await?;
        if ids.len() > 20 {
            return Err(ServiceError::field("mediaIds", "at most 20"));
        }
        let found = media::get_many(&mut conn, workspace, ids).await?;
        if let Some(missing) = ids.iter().find(|id| !found.iter().any(|a| a.id.to_string() == **id)) {
            return Err(ServiceError::field("mediaIds", format!("no media {missing} in this workspace")));
        }
        let videos = found.iter().filter(|a| a.kind == "video").count();
        Ok((found.len() - videos, videos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_weekdays_are_utc_with_monday_first() {
        // 2026-12-01 18:30 UTC is a Tuesday.
        assert_eq!(
            utc_hour_weekday(Timestamp::from_millis(1_796_149_800_000)),
            (18, 1)
        );
        assert_eq!(utc_hour_weekday(Timestamp::from_millis(0)), (0, 3));
    }
}
