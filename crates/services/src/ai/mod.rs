//! AI features over the API: analysis, hashtags and rewrites from the local engine
//! (`zenalto_ai::local`) over the workspace's own posts, and drafts from the workspace's provider
//! chain when one is configured and within budget, else from the local engine. Every text meant
//! for posting passes the publishing engine's validation before it is returned.

mod best_time;
mod engagement;
mod optimize;
mod performance_model;
mod prediction;
mod providers;
mod template_generate;
mod templates;

pub use best_time::BestTimes;
pub use optimize::Optimized;
pub use performance_model::ModelView;
pub use prediction::{PredictInput, Prediction};
pub use templates::{Rendered, TemplateInput, TemplateView};
pub use providers::{ProviderInput, ProviderView, SettingsInput, SettingsView, Shared, UsageLineView, UsageReport};

use serde::Serialize;
use serde_json::json;
use zenalto_ai::local::draft::{Brief, Variation, assess, variations};
use zenalto_ai::pricing::check_budget;
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, Message};
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
    /// "local" (the built-in engine), "cache", or the provider kind that answered ("openai"…).
    pub engine: String,
    /// What this generation cost, in micro-dollars (zero for the local engine and cache hits).
    pub cost_micros: u64,
    /// Why the local engine was used although providers are configured.
    pub fallback: Option<Fallback>,
    pub networks: Vec<NetworkVariations>,
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

    /// A rewrite (post:create): by the workspace's providers when configured and within
    /// budget, else — or when they all fail, saying why — by the local engine's rules.
    pub async fn ai_rewrite(&self, access: &Access, text: &str, style: Style) -> Result<Rewritten> {
        access.require(Permission::PostCreate)?;
        check_text(text)?;
        let local = |fallback: Option<Fallback>| {
            let Rewrite { text, applied } = rewrite(text, style);
            Rewritten { text, changes: applied, engine: "local".into(), cost_micros: 0, fallback }
        };
        let Some(configured) = self.ai_chain(access.workspace_id).await? else { return Ok(local(None)) };
        let spent = self.ai_spent_this_month(access.workspace_id).await?;
        if let Err(exceeded) = check_budget(configured.budget.map(|b| b.max(0) as u64), spent.max(0) as u64) {
            return Ok(local(Some(Fallback { kind: "budget_exceeded".into(), message: format!("{exceeded}; this rewrite comes from the local engine") })));
        }
        let instruction = match style {
            Style::Shorten => "shorter, keeping every fact",
            Style::Simplify => "simpler: plain words, short sentences",
            Style::Formal => "more formal",
            Style::Casual => "more casual and friendly",
        };
        let mut request = ChatRequest::new("", vec![
            Message::system(format!("Rewrite the user's social media post to be {instruction}. Keep links, mentions and hashtags. List the changes you made.")),
            Message::user(text),
        ]);
        request.json_schema = Some(json!({ "type": "object",
            "properties": { "text": { "type": "string" }, "changes": { "type": "array", "items": { "type": "string" } } },
            "required": ["text", "changes"] }));
        match configured.chain.complete(Task::Rewrite, &request).await {
            Ok(answer) => {
                let provider = answer.provider.split('#').next().unwrap_or_default().to_owned();
                let cost = if answer.cached { 0 } else { configured.prices.cost_micros(&answer.response.model, answer.response.usage) };
                let usage = if answer.cached { zenalto_ai::Usage::default() } else { answer.response.usage };
                let mut tx = self.db.begin().await?;
                self.ai_record(&mut tx, access.workspace_id, Task::Rewrite.as_str(), (&provider, &answer.response.model), usage, cost).await?;
                tx.commit().await.map_err(zenalto_store::StoreError::from)?;
                let value: serde_json::Value = serde_json::from_str(answer.response.text.trim()).unwrap_or_default();
                match value["text"].as_str().filter(|t| !t.trim().is_empty()) {
                    Some(new) => Ok(Rewritten {
                        text: new.to_owned(),
                        changes: value["changes"].as_array().into_iter().flatten().filter_map(|c| c.as_str().map(str::to_owned)).collect(),
                        engine: provider,
                        cost_micros: cost,
                        fallback: None,
                    }),
                    None => {
                        let mut out = local(Some(Fallback { kind: "malformed_answer".into(), message: format!("{provider} did not answer in the asked structure; this rewrite comes from the local engine") }));
                        out.cost_micros = cost;
                        Ok(out)
                    }
                }
            }
            Err(error) => {
                let kind = error.kind().map(|k| k.as_str().to_owned()).unwrap_or_else(|| "unavailable".into());
                Ok(local(Some(Fallback { kind, message: format!("{error}. This rewrite comes from the local engine.") })))
            }
        }
    }

    /// Drafts from a brief, `count` per network, each fitted and validated for its network
    /// and scored (post:create). The workspace's providers write them when configured and within
    /// the monthly budget; otherwise, or when every provider fails, the local engine does, and
    /// the answer says why.
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
        let local = |network: Network| NetworkVariations { network, variations: variations(brief, network, &history, count) };
        let Some(configured) = self.ai_chain(access.workspace_id).await? else {
            return Ok(Generation { engine: "local".into(), cost_micros: 0, fallback: None, networks: networks.iter().map(|n| local(*n)).collect() });
        };
        let spent = self.ai_spent_this_month(access.workspace_id).await?;
        if let Err(exceeded) = check_budget(configured.budget.map(|b| b.max(0) as u64), spent.max(0) as u64) {
            let fallback = Fallback { kind: "budget_exceeded".into(), message: format!("{exceeded}; these drafts come from the local engine") };
            return Ok(Generation { engine: "local".into(), cost_micros: 0, fallback: Some(fallback), networks: networks.iter().map(|n| local(*n)).collect() });
        }
        let mut out = Generation { engine: String::new(), cost_micros: 0, fallback: None, networks: Vec::new() };
        for network in networks {
            let request = prompt(brief, *network, count);
            match configured.chain.complete(Task::Generate, &request).await {
                Ok(answer) => {
                    let provider = answer.provider.split('#').next().unwrap_or_default().to_owned();
                    let cost = if answer.cached { 0 } else { configured.prices.cost_micros(&answer.response.model, answer.response.usage) };
                    let mut tx = self.db.begin().await?;
                    let model = &answer.response.model;
                    let usage = if answer.cached { zenalto_ai::Usage::default() } else { answer.response.usage };
                    self.ai_record(&mut tx, access.workspace_id, Task::Generate.as_str(), (&provider, model), usage, cost).await?;
                    tx.commit().await.map_err(zenalto_store::StoreError::from)?;
                    out.cost_micros += cost;
                    match parse_variations(&answer.response.text, brief, *network, count) {
                        Some(variations) => {
                            out.engine = provider;
                            out.networks.push(NetworkVariations { network: *network, variations });
                        }
                        None => {
                            out.fallback = Some(Fallback { kind: "malformed_answer".into(), message: format!("{provider} did not answer in the asked structure; these drafts come from the local engine") });
                            out.networks.push(local(*network));
                        }
                    }
                }
                Err(error) => {
                    let kind = error.kind().map(|k| k.as_str().to_owned()).unwrap_or_else(|| "unavailable".into());
                    tracing::warn!(workspace = %access.workspace_id, %kind, "every AI provider failed; using the local engine");
                    out.fallback = Some(Fallback { kind, message: format!("{error}. These drafts come from the local engine.") });
                    out.networks.push(local(*network));
                }
            }
        }
        if out.engine.is_empty() {
            out.engine = "local".into();
        }
        Ok(out)
    }
}

/// The request for `count` variations for one network, as structured output.
fn prompt(brief: &Brief, network: Network, count: usize) -> ChatRequest {
    let system = format!(
        "You write social media posts for {}. Write {count} distinct variations of one post from the brief. \
         Use only facts from the brief; keep within the network's length; put hashtags at the end. \
         For each variation give one sentence of reasoning.",
        network.label()
    );
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
