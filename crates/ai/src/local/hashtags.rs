//! Hashtag suggestions ranked from the workspace's own posts: tags the workspace has used whose
//! posts share words with the draft, weighted by how well those posts did, plus new tags made
//! from the draft's own key phrases (ranked below tags with a history: they are evidence). Each suggestion says what data it came from.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::keywords::{Corpus, rake};
use super::words::{is_stopword, tokens};

/// A past post of the workspace: its text and how it did (likes + comments + shares…, any
/// consistent measure; zero when unknown).
#[derive(Clone, Debug)]
pub struct PastPost {
    pub text: String,
    pub engagement: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub tag: String,
    /// 0 to 1: how well the tag matches the draft.
    pub relevance: f64,
    /// Posts of the workspace that used it.
    pub used_in_posts: usize,
    /// Mean engagement of those posts, when any.
    pub mean_engagement: Option<f64>,
    /// Share of the workspace's posts using it: a tag on everything distinguishes nothing.
    pub saturation: f64,
    /// "workspace_history" or "draft_key_phrase".
    pub source: &'static str,
}

/// The hashtags in a text, lower-cased, without `#`.
pub fn hashtags_in(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|w| w.strip_prefix('#'))
        .map(|t| t.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>().to_lowercase())
        .filter(|t| !t.is_empty() && !t.chars().all(char::is_numeric))
        .collect()
}

fn content_words(text: &str) -> HashSet<String> {
    tokens(text).into_iter().filter(|w| !is_stopword(w) && w.chars().count() > 2).collect()
}

/// Up to `limit` hashtags for `draft`, best first.
pub fn suggest(draft: &str, history: &[PastPost], limit: usize) -> Vec<Suggestion> {
    let corpus = Corpus::new(history.iter().map(|p| p.text.as_str()));
    let draft_words = content_words(draft);
    let already: HashSet<String> = hashtags_in(draft).into_iter().collect();
    let overall_engagement = history.iter().map(|p| p.engagement).sum::<f64>() / history.len().max(1) as f64;

    // tag → (posts, engagement sum, idf-weighted word overlap with the draft)
    let mut tags: HashMap<String, (usize, f64, f64)> = HashMap::new();
    for post in history {
        let words = content_words(&post.text);
        let overlap: f64 = words.intersection(&draft_words).map(|w| corpus.idf(w)).sum();
        let norm: f64 = draft_words.iter().map(|w| corpus.idf(w)).sum::<f64>().max(1.0);
        for tag in hashtags_in(&post.text).into_iter().collect::<HashSet<_>>() {
            let entry = tags.entry(tag.clone()).or_default();
            entry.0 += 1;
            entry.1 += post.engagement;
            // The tag's own word in the draft counts as a match too.
            let direct = if draft_words.contains(&tag) { 1.0 } else { 0.0 };
            entry.2 = entry.2.max((overlap / norm).min(1.0)).max(direct);
        }
    }
    let mut out: Vec<(f64, Suggestion)> = tags
        .into_iter()
        .filter(|(tag, (_, _, relevance))| *relevance > 0.0 && !already.contains(tag))
        .map(|(tag, (posts, engagement, relevance))| {
            let mean = engagement / posts as f64;
            let lift = if overall_engagement > 0.0 { (mean / overall_engagement).clamp(0.25, 4.0) } else { 1.0 };
            let saturation = posts as f64 / history.len().max(1) as f64;
            let rank = relevance * lift.sqrt() * (1.0 - 0.5 * saturation);
            (rank, Suggestion { tag, relevance: round(relevance), used_in_posts: posts, mean_engagement: Some(round(mean)), saturation: round(saturation), source: "workspace_history" })
        })
        .collect();
    // New tags from the draft's key phrases (CamelCase for readability and screen readers).
    for keyword in rake(draft, limit) {
        let words: Vec<&str> = keyword.phrase.split(' ').collect();
        if words.len() > 3 {
            continue;
        }
        let tag: String = words.iter().map(|w| capitalise(w)).collect();
        let key = tag.to_lowercase();
        if already.contains(&key) || out.iter().any(|(_, s)| s.tag == key) || tag.chars().count() < 3 {
            continue;
        }
        let relevance = (keyword.score / 9.0).clamp(0.2, 0.9);
        out.push((relevance * 0.4, Suggestion { tag, relevance: round(relevance), used_in_posts: 0, mean_engagement: None, saturation: 0.0, source: "draft_key_phrase" }));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.tag.cmp(&b.1.tag)));
    out.into_iter().take(limit).map(|(_, s)| s).collect()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(text: &str, engagement: f64) -> PastPost {
        PastPost { text: text.into(), engagement }
    }

    #[test]
    fn tags_that_worked_on_related_posts_rank_first() {
        let history = vec![
            post("Fresh sourdough bread out of the oven #baking #sourdough", 120.0),
            post("Sourdough starter tips for beginners #sourdough", 90.0),
            post("Croissants on Sunday #baking #pastry", 40.0),
            post("We are hiring a barista #jobs", 10.0),
        ];
        let suggestions = suggest("Our sourdough loaf recipe, step by step", &history, 5);
        assert_eq!(suggestions[0].tag, "sourdough");
        assert_eq!(suggestions[0].used_in_posts, 2);
        assert!(suggestions.iter().all(|s| s.tag != "jobs"), "unrelated tag: {suggestions:?}");
        assert!(suggestions.iter().any(|s| s.source == "draft_key_phrase"));
    }
}
