//! Brand voice: style features measured on each of a workspace's example texts (sentence and
//! post length, emoji, hashtag, mention, exclamation and question rates, who speaks — "we",
//! "you", "I" —, formality markers, sentiment, characteristic vocabulary), summarised as a mean
//! and a spread per dimension; a draft is then scored per dimension by how far it strays from
//! the usual, in units of that spread, and explained in words.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::keywords::rake;
use super::readability::sentences;
use super::sentiment::sentiment;
use super::words::{is_stopword, tokens};

const WE: &[&str] = &["we", "us", "our", "ours", "we're", "we've", "we'll", "let's"];
const YOU: &[&str] = &["you", "your", "yours", "you're", "you've", "you'll"];
const I: &[&str] = &["i", "me", "my", "mine", "i'm", "i've", "i'll"];
/// Words that mark a casual register.
const INFORMAL: &[&str] = &[
    "gonna", "wanna", "gotta", "hey", "lol", "omg", "awesome", "super", "cool", "guys", "folks", "yay", "wow", "btw", "kinda", "totally", "stuff", "yummy",
    "love", "fun", "ya", "y'all",
];
/// Words that mark a formal register.
const FORMAL: &[&str] = &[
    "therefore",
    "furthermore",
    "moreover",
    "regarding",
    "pleased",
    "announce",
    "accordingly",
    "however",
    "thus",
    "hereby",
    "kindly",
    "sincerely",
    "respectively",
    "insights",
    "strategic",
    "organisation",
    "organization",
    "stakeholders",
    "leverage",
    "framework",
    "consequently",
];
/// How many key phrases of the examples make up the characteristic vocabulary.
const VOCABULARY_PHRASES: usize = 30;

/// One dimension of style: its name, how to say it to people, and the smallest spread assumed
/// (a handful of examples that happen to agree must not make every small difference fatal).
struct Dimension {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    floor: f64,
    weight: f64,
    /// Only falling short counts (more characteristic words than usual is no fault).
    one_sided: bool,
}

const DIMENSIONS: [Dimension; 13] = [
    Dimension { key: "sentenceLength", label: "sentences", unit: "words per sentence", floor: 3.0, weight: 1.0, one_sided: false },
    Dimension { key: "postLength", label: "posts", unit: "characters", floor: 40.0, weight: 1.0, one_sided: false },
    Dimension { key: "emoji", label: "emoji", unit: "emoji per post", floor: 0.7, weight: 1.0, one_sided: false },
    Dimension { key: "hashtags", label: "hashtags", unit: "hashtags per post", floor: 0.8, weight: 1.0, one_sided: false },
    Dimension { key: "mentions", label: "mentions", unit: "mentions per post", floor: 0.6, weight: 0.5, one_sided: false },
    Dimension { key: "exclamations", label: "exclamation marks", unit: "per sentence", floor: 0.25, weight: 1.0, one_sided: false },
    Dimension { key: "questions", label: "questions", unit: "per sentence", floor: 0.25, weight: 0.5, one_sided: false },
    Dimension { key: "we", label: "\"we\"", unit: "per 100 words", floor: 1.5, weight: 1.0, one_sided: false },
    Dimension { key: "you", label: "\"you\"", unit: "per 100 words", floor: 1.5, weight: 1.0, one_sided: false },
    Dimension { key: "i", label: "\"I\"", unit: "per 100 words", floor: 1.5, weight: 1.0, one_sided: false },
    Dimension { key: "formality", label: "formality", unit: "formal minus casual markers per 100 words", floor: 1.5, weight: 1.5, one_sided: false },
    Dimension { key: "sentiment", label: "sentiment", unit: "compound score", floor: 0.25, weight: 1.0, one_sided: false },
    Dimension { key: "vocabulary", label: "of your characteristic words", unit: "characteristic words used", floor: 1.0, weight: 1.5, one_sided: true },
];

/// The usual value of one dimension over the examples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usual {
    pub dimension: String,
    pub mean: f64,
    /// Sample standard deviation (0 with one example).
    pub spread: f64,
}

/// A learned voice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceProfile {
    /// How many texts it was learned from.
    pub samples: usize,
    pub dimensions: Vec<Usual>,
    /// Key phrases (RAKE) the examples return to most, best first.
    pub key_phrases: Vec<String>,
    /// The words of those phrases: what "your characteristic words" counts.
    pub vocabulary: Vec<String>,
}

/// How one dimension of a draft compares.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DimensionScore {
    pub dimension: &'static str,
    pub draft: f64,
    pub usual: f64,
    /// 0 to 100.
    pub score: u32,
    pub explanation: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consistency {
    /// 0 to 100, the weighted mean of the dimensions.
    pub score: u32,
    pub dimensions: Vec<DimensionScore>,
    /// The explanations of the dimensions that pull the score down most, worst first.
    pub findings: Vec<String>,
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

/// The words of a text without hashtags, mentions and links.
fn plain_words(text: &str) -> Vec<String> {
    let plain: Vec<&str> = text.split_whitespace().filter(|w| !w.starts_with('#') && !w.starts_with('@')).collect();
    tokens(&plain.join(" "))
}

fn per_hundred(words: &[String], list: &[&str]) -> f64 {
    100.0 * words.iter().filter(|w| list.contains(&w.as_str())).count() as f64 / words.len().max(1) as f64
}

/// The measurements of one text, in the order of [`DIMENSIONS`] (the vocabulary last).
fn measure(text: &str, vocabulary: &HashSet<String>) -> [f64; 13] {
    let words = plain_words(text);
    let sentence_count = sentences(text).len().max(1) as f64;
    let count = |f: &dyn Fn(&str) -> bool| text.split_whitespace().filter(|w| f(w)).count() as f64;
    let contractions = words.iter().filter(|w| w.contains('\'')).count() as f64;
    let formal = per_hundred(&words, FORMAL);
    let informal = per_hundred(&words, INFORMAL) + 100.0 * contractions / words.len().max(1) as f64;
    let characteristic: HashSet<&String> = words.iter().filter(|w| vocabulary.contains(*w)).collect();
    [
        words.len() as f64 / sentence_count,
        text.trim().chars().count() as f64,
        text.chars().filter(|c| is_emoji(*c)).count() as f64,
        count(&|w| w.starts_with('#') && w.len() > 1),
        count(&|w| w.starts_with('@') && w.len() > 1),
        text.matches('!').count() as f64 / sentence_count,
        text.matches('?').count() as f64 / sentence_count,
        per_hundred(&words, WE),
        per_hundred(&words, YOU),
        per_hundred(&words, I),
        formal - informal,
        sentiment(text).compound,
        characteristic.len() as f64,
    ]
}

/// Learns a voice from example texts; `None` without at least one non-empty text.
pub fn learn(examples: &[String]) -> Option<VoiceProfile> {
    let examples: Vec<&str> = examples.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
    if examples.is_empty() {
        return None;
    }
    // Key phrases recurring across the examples: summed RAKE scores, weighted by how many texts use them.
    let mut phrases: HashMap<String, (f64, usize)> = HashMap::new();
    for text in &examples {
        for keyword in rake(text, 15) {
            let entry = phrases.entry(keyword.phrase).or_default();
            entry.0 += keyword.score;
            entry.1 += 1;
        }
    }
    let mut ranked: Vec<(String, f64)> = phrases.into_iter().map(|(p, (score, docs))| (p, score * docs as f64)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(VOCABULARY_PHRASES);
    let key_phrases: Vec<String> = ranked.into_iter().map(|(p, _)| p).collect();
    let mut vocabulary: Vec<String> = Vec::new();
    for word in key_phrases.iter().flat_map(|p| p.split(' ')) {
        if word.chars().count() > 2 && !is_stopword(word) && !vocabulary.iter().any(|v| v == word) {
            vocabulary.push(word.to_owned());
        }
    }
    let set: HashSet<String> = vocabulary.iter().cloned().collect();
    let rows: Vec<[f64; 13]> = examples.iter().map(|t| measure(t, &set)).collect();
    let n = rows.len() as f64;
    let dimensions = DIMENSIONS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mean = rows.iter().map(|r| r[i]).sum::<f64>() / n;
            let spread = if rows.len() > 1 { (rows.iter().map(|r| (r[i] - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt() } else { 0.0 };
            Usual { dimension: d.key.to_owned(), mean: round(mean), spread: round(spread) }
        })
        .collect();
    Some(VoiceProfile { samples: examples.len(), dimensions, key_phrases, vocabulary })
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// How consistent `draft` is with the voice, per dimension and overall.
pub fn score(profile: &VoiceProfile, draft: &str) -> Consistency {
    let vocabulary: HashSet<String> = profile.vocabulary.iter().cloned().collect();
    let values = measure(draft, &vocabulary);
    let mut dimensions = Vec::new();
    let (mut total, mut weights) = (0.0, 0.0);
    for (i, d) in DIMENSIONS.iter().enumerate() {
        let Some(usual) = profile.dimensions.iter().find(|u| u.dimension == d.key) else { continue };
        let floor = if d.key == "postLength" {
            d.floor.max(0.25 * usual.mean)
        } else if d.key == "vocabulary" {
            d.floor.max(0.4 * usual.mean)
        } else {
            d.floor
        };
        let mut deviation = (values[i] - usual.mean) / usual.spread.max(floor);
        if d.one_sided {
            deviation = deviation.min(0.0);
        }
        let value = 100.0 * (-deviation * deviation / 4.5).exp();
        total += value * d.weight;
        weights += d.weight;
        dimensions.push(DimensionScore {
            dimension: d.key,
            draft: round(values[i]),
            usual: usual.mean,
            score: value.round() as u32,
            explanation: explain(d, values[i], usual.mean, deviation),
        });
    }
    let score = if weights > 0.0 { (total / weights).round() as u32 } else { 0 };
    let mut off: Vec<&DimensionScore> = dimensions.iter().filter(|d| d.score < 70).collect();
    off.sort_by_key(|d| d.score);
    let findings = off.into_iter().map(|d| d.explanation.clone()).collect();
    Consistency { score, dimensions, findings }
}

/// "sentences twice as long as your usual (24 vs 12 words per sentence)".
fn explain(d: &Dimension, draft: f64, usual: f64, deviation: f64) -> String {
    let figures = format!("{} vs your usual {} {}", round(draft), round(usual), d.unit);
    if deviation.abs() < 1.0 {
        return format!("{} as usual ({figures})", capitalise(d.label));
    }
    let ratio = if usual.abs() > 0.05 { draft / usual } else { f64::INFINITY };
    match d.key {
        "sentenceLength" | "postLength" if ratio.is_finite() && ratio > 0.0 => {
            let how = if ratio >= 1.0 { multiple(ratio) } else { format!("{} as", fraction(ratio)) };
            format!("{} {how} long as your usual ({figures})", capitalise(d.label))
        }
        "formality" => format!("{} than usual ({figures})", if draft > usual { "More formal" } else { "More casual" }),
        "sentiment" => format!("{} than usual ({figures})", if draft > usual { "More positive" } else { "More negative" }),
        _ if draft > usual => format!("More {} than usual ({figures})", d.label),
        _ => format!("Fewer {} than usual ({figures})", d.label),
    }
}

fn multiple(ratio: f64) -> String {
    match ratio {
        r if r < 1.75 => "about half again as".into(),
        r if r < 2.5 => "about twice as".into(),
        r => format!("about {} times as", r.round()),
    }
}

fn fraction(ratio: f64) -> &'static str {
    match ratio {
        r if r < 0.4 => "about a third",
        r if r < 0.6 => "about half",
        _ => "about two thirds",
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
#[path = "voice_tests.rs"]
mod tests;
