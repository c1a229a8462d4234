//! Optimize a draft: the local engine's suggestions (`zenalto_ai::local::optimize`) with each
//! change priced by the workspace's model where it can weigh it (the draft predicted with and
//! without the change), and the draft's own predicted performance.

use serde::Serialize;
use zenalto_ai::local::hashtags::{PastPost, suggest as suggest_hashtags};
use zenalto_ai::local::optimize::{BestPosts, suggest};
use zenalto_ai::local::predict::PostShape;
use zenalto_domain::Permission;
use zenalto_domain::publishing::Network;

use super::engagement::{PublishedPost, utc_hour_weekday};
use super::prediction::Prediction;
use crate::{Access, Result, Services};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Optimized {
    pub suggestions: Vec<SuggestionView>,
    /// The draft as it is, predicted for now.
    pub prediction: Prediction,
    /// Published posts with figures the suggestions drew on.
    pub history_posts: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionView {
    pub kind: &'static str,
    pub what: String,
    pub why: String,
    pub expected_effect: ExpectedEffect,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedEffect {
    /// Predicted relative change in engagement (0.12 = +12 %); null when not measured.
    pub change: Option<f64>,
    /// workspace_model, or not_measured (no model yet, or the model has no feature for it).
    pub source: &'static str,
}

/// The middle half of the lengths of the best quarter of posts by engagement.
fn best_posts(posts: &[PublishedPost]) -> BestPosts {
    if posts.len() < 8 {
        return BestPosts::default();
    }
    let mut ranked: Vec<&PublishedPost> = posts.iter().collect();
    ranked.sort_by(|a, b| b.engagement.total_cmp(&a.engagement));
    let top = &ranked[..posts.len() / 4];
    let mut lengths: Vec<usize> = top.iter().map(|p| p.text.chars().count()).collect();
    lengths.sort_unstable();
    let pick = |q: f64| lengths[((lengths.len() - 1) as f64 * q).round() as usize];
    BestPosts {
        posts: top.len(),
        length: Some((pick(0.25), pick(0.75))),
    }
}

fn shape(text: &str, network: Network, hour: u8, weekday: u8) -> PostShape<'_> {
    PostShape {
        text,
        network,
        hour,
        weekday,
        images: 0,
        videos: 0,
    }
}

impl Services {
    /// Concrete suggestions for a draft on a network, and its predicted performance (post:read).
    pub async fn ai_optimize(
        &self,
        access: &Access,
        text: &str,
        network: Network,
    ) -> Result<Optimized> {
        access.require(Permission::PostRead)?;
        super::check_text(text)?;
        let posts = self.ai_published(access.workspace_id, None).await?;
        let history: Vec<PastPost> = if posts.is_empty() {
            self.ai_history(access).await?
        } else {
            posts
                .iter()
                .map(|p| PastPost {
                    text: p.text.clone(),
                    engagement: p.engagement,
                })
                .collect()
        };
        let tags = suggest_hashtags(text, &history, 10);
        let now = self.now();
        let (hour, weekday) = utc_hour_weekday(now);
        let prediction = self
            .ai_predict_shape(
                access.workspace_id,
                &shape(text, network, hour, weekday),
                now,
            )
            .await?;
        let model = if prediction.source == "workspace_model" {
            self.ai_stored_model(access.workspace_id).await?
        } else {
            None
        };
        let suggestions = suggest(text, network, &best_posts(&posts), &tags)
            .into_iter()
            .map(|s| {
                let change = match (&model, &s.probe) {
                    (Some(stored), Some(probe)) => {
                        let delta = stored
                            .model
                            .predict_log(&shape(probe, network, hour, weekday))
                            - stored
                                .model
                                .predict_log(&shape(text, network, hour, weekday));
                        Some((delta.exp_m1() * 1000.0).round() / 1000.0)
                    }
                    _ => None,
                };
                let source = if change.is_some() {
                    "workspace_model"
                } else {
                    "not_measured"
                };
                SuggestionView {
                    kind: s.kind,
                    what: s.what,
                    why: s.why,
                    expected_effect: ExpectedEffect { change, source },
                }
            })
            .collect();
        Ok(Optimized {
            suggestions,
            prediction,
            history_posts: posts.len(),
        })
    }
}
