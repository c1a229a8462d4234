//! AI features over the API: analysis, hashtags and rewrites from the local engine
//! (`zenalto_ai::local`) over the workspace's own posts, and drafts from the workspace's provider
//! chain when one is configured and within budget, else from the local engine. Every text meant
//! for posting passes the publishing engine's validation before it is returned.

mod alt_text;
mod best_time;
mod budget;
mod call;
mod drafts;
mod engagement;
mod optimize;
mod performance_model;
mod prediction;
mod providers;
mod rewrite;
mod stream;
mod template_generate;
mod templates;
mod translate;

pub use alt_text::AltText;
pub use best_time::BestTimes;
pub use optimize::Optimized;
pub use performance_model::ModelView;
pub use prediction::{PredictInput, Prediction};
pub use stream::RewriteEvent;
pub use templates::{Rendered, TemplateInput, TemplateView};
pub use translate::Translation;
pub use providers::{ProviderInput, ProviderView, SettingsInput, SettingsView, Shared, UsageLineView, UsageReport};

use serde::Serialize;
use serde_json::json;
use zenalto_ai::local::draft::{Brief, Variation, assess, variations};
use zenalto_ai::{ChatRequest, Message};
use zenalto_ai::local::hashtags::{PastPost, Suggestion, suggest};
use zenalto_ai::local::keywords::{Corpus, Keyword, rake, tf_idf};
use zenalto_ai::local::readability::{Readability, readability};
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
    /// "local" (the built-in engine), "cache", or the provider kind that answered ("openai"…).
    pub engine: String,
    /// What this generation cost, in micro-dollars (zero for the local engine and cache hits).
    pub cost_micros: u64,
    /// Why the local engine was used although providers are configured.
    pub fallback: Option<Fallback>,
    pub networks: Vec<NetworkVariations>,
    /// The model that answered (none for the local engine) and the tokens it counted, for
    /// callers that record them (the agents' steps); not part of the API answer.
    #[serde(skip)]
    pub model: Option<String>,
    #[serde(skip)]
    pub usage: zenalto_ai::Usage,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewritten {
    pub text: String,
    /// What changed: the local engine's rules, or the provider's own list.
    pub changes: Vec<String>,
    /// "local", "cache" or the provider kind.
    pub engine: String,
    pub cost_micros: u64,
    pub fallback: Option<Fallback>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fallback {
    /// timeout, rate_limited, unavailable, content_filtered, quota_exceeded, invalid_request,
    /// budget_exceeded, malformed_answer
    pub kind: String,
    /// What happened and what to do, e.g. raise the budget, or write it yourself.
    pub message: String,
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

    /// Drafts from a brief, `count` per network, each fitted and validated for its network
    /// and scored (post:create). The workspace's providers write them when configured and within
    /// the monthly budget; otherwise, or when every provider fails, the local engine does, and
    /// the answer says why.
    pub async fn ai_generate(&self, access: &Access, brief: &Brief, networks: &[Network], count: usize) -> Result<Generation> {
        self.ai_generate_with(access, brief, networks, count, "").await
    }

    /// [`Self::ai_generate`] with `guidance` for the providers (the account's audience, tone and
    /// the brand voice, as the agents give it); the local engine works from the brief alone.
    pub async fn ai_generate_with(&self, access: &Access, brief: &Brief, networks: &[Network], count: usize, guidance: &str) -> Result<Generation> {
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
        let local = |network: Network| NetworkVariations { network, variations: variations(brief, network, &history, count) };
        let Some(configured) = self.ai_chain(access.workspace_id).await? else { return Ok(Generation::local(networks, &local, None)) };
        let request_for = |network: Network| prompt(brief, network, count, guidance);
        self.provider_drafts(access.workspace_id, &configured, networks, drafts::Drafting { brief, count, request_for: &request_for, local_for: &local }).await
    }
}

/// The request for `count` variations for one network, as structured output.
fn prompt(brief: &Brief, network: Network, count: usize, guidance: &str) -> ChatRequest {
    let mut system = format!(
        "You write social media posts for {}. Write {count} distinct variations of one post from the brief. \
         Use only facts from the brief; keep within the network's length; put hashtags at the end. \
         For each variation give one sentence of reasoning.",
        network.label()
    );
    if !guidance.trim().is_empty() {
        system.push_str(&format!(" About the account and its voice: {guidance}"));
    }
    let brief = json!({ "topic": brief.topic, "points": brief.points, "callToAction": brief.call_to_action, "link": brief.link });
    let mut request = ChatRequest::new("", vec![Message::system(system), Message::user(brief.to_string())]);
    request.json_schema = Some(json!({
        "type": "object",
        "properties": { "variations": { "type": "array", "items": { "type": "object",
            "properties": { "text": { "type": "string" }, "reasoning": { "type": "string" } },
            "required": ["text", "reasoning"] } } },
        "required": ["variations"]
    }));
    request.max_tokens = 1500;
    request
}

fn parse_variations(answer: &str, brief: &Brief, network: Network, count: usize) -> Option<Vec<Variation>> {
    let value: serde_json::Value = serde_json::from_str(answer.trim()).ok()?;
    let mut out: Vec<Variation> = value["variations"]
        .as_array()?
        .iter()
        .filter_map(|v| v["text"].as_str().filter(|t| !t.trim().is_empty()).map(|t| assess(brief, network, t, v["reasoning"].as_str())))
        .take(count)
        .collect();
    if out.is_empty() {
        return None;
    }
    out.sort_by_key(|v| std::cmp::Reverse(v.quality));
    Some(out)
}
