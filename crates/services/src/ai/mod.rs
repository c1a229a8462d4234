//! AI features over the API, today served by the local engine (`zenalto_ai::local`) working on
//! the workspace's own posts: analysis, hashtags, rewrites and drafts. Every text meant for
//! posting passes the publishing engine's validation before it is returned.

use serde::Serialize;
use zenalto_ai::local::draft::{Brief, Variation, variations};
use zenalto_ai::local::hashtags::{PastPost, Suggestion, suggest};
use zenalto_ai::local::keywords::{Corpus, Keyword, rake, tf_idf};
use zenalto_ai::local::readability::{Readability, readability};
use zenalto_ai::local::rewrite::{Rewrite, Style, rewrite};
use zenalto_ai::local::{Sentiment, sentiment};
use zenalto_domain::Permission;
use zenalto_domain::posts::PostContent;
use zenalto_domain::publishing::Network;
use zenalto_store::repo::posts::{self, PostFilter};

use crate::{Access, Result, ServiceError, Services};

/// How many of the workspace's latest posts the local engine learns from.
const HISTORY: i64 = 1000;
/// Longest text accepted for analysis or rewriting, in characters.
const MAX_TEXT: usize = 20_000;
const MAX_VARIATIONS: usize = 4;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub sentiment: Sentiment,
    /// Key phrases of the text (RAKE).
    pub key_phrases: Vec<Keyword>,
    /// Words distinctive of this text against the workspace's posts (TF-IDF).
    pub distinctive_words: Vec<Keyword>,
    pub readability: Readability,
    /// Posts of the workspace the TF-IDF weights came from.
    pub corpus_posts: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hashtags {
    pub suggestions: Vec<Suggestion>,
    /// Posts of the workspace the ranking came from.
    pub history_posts: usize,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkVariations {
    pub network: Network,
    pub variations: Vec<Variation>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Generation {
    /// "local": the built-in engine (no provider configured).
    pub engine: &'static str,
    /// Always zero for the local engine, in micro-dollars.
    pub cost_micros: u64,
    pub networks: Vec<NetworkVariations>,
}

fn check_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(ServiceError::field("text", "write something to work on"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(ServiceError::field("text", format!("at most {MAX_TEXT} characters")));
    }
    Ok(())
}

impl Services {
    /// The texts of the workspace's latest posts. Engagement is not recorded yet (no analytics
    /// import), so every post weighs the same.
    async fn ai_history(&self, access: &Access) -> Result<Vec<PastPost>> {
        let mut conn = self.db.read().await?;
        let rows = posts::list(&mut conn, access.workspace_id, &PostFilter::default(), HISTORY).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| serde_json::from_str::<PostContent>(&row.content).ok())
            .filter(|content| !content.text.trim().is_empty())
            .map(|content| {
                let tags = content.hashtags.iter().map(|t| format!(" #{}", t.trim_start_matches('#'))).collect::<String>();
                PastPost { text: format!("{}{tags}", content.text), engagement: 0.0 }
            })
            .collect())
    }

    /// Sentiment, key phrases, distinctive words and readability of a text (post:read).
    pub async fn ai_analyze(&self, access: &Access, text: &str) -> Result<Analysis> {
        access.require(Permission::PostRead)?;
        check_text(text)?;
        let history = self.ai_history(access).await?;
        let corpus = Corpus::new(history.iter().map(|p| p.text.as_str()));
        Ok(Analysis {
            sentiment: sentiment(text),
            key_phrases: rake(text, 10),
            distinctive_words: tf_idf(text, &corpus, 10),
            readability: readability(text),
            corpus_posts: corpus.len(),
        })
    }

    /// Hashtags for a draft, ranked from the workspace's own posts (post:read).
    pub async fn ai_hashtags(&self, access: &Access, text: &str, limit: usize) -> Result<Hashtags> {
        access.require(Permission::PostRead)?;
        check_text(text)?;
        let history = self.ai_history(access).await?;
        Ok(Hashtags { suggestions: suggest(text, &history, limit.clamp(1, 30)), history_posts: history.len() })
    }

    /// A rule-based rewrite (post:create).
    pub fn ai_rewrite(&self, access: &Access, text: &str, style: Style) -> Result<Rewrite> {
        access.require(Permission::PostCreate)?;
        check_text(text)?;
        Ok(rewrite(text, style))
    }

    /// Drafts from a brief, `count` per network, each fitted and validated for its network
    /// and scored (post:create).
    pub async fn ai_generate(&self, access: &Access, brief: &Brief, networks: &[Network], count: usize) -> Result<Generation> {
        access.require(Permission::PostCreate)?;
        if brief.topic.trim().is_empty() {
            return Err(ServiceError::field("brief.topic", "say what the post is about"));
        }
        if networks.is_empty() {
            return Err(ServiceError::field("networks", "choose at least one network"));
        }
        if !(1..=MAX_VARIATIONS).contains(&count) {
            return Err(ServiceError::field("variations", format!("between 1 and {MAX_VARIATIONS}")));
        }
        let history = self.ai_history(access).await?;
        let networks = networks.iter().map(|network| NetworkVariations { network: *network, variations: variations(brief, *network, &history, count) }).collect();
        Ok(Generation { engine: "local", cost_micros: 0, networks })
    }
}
