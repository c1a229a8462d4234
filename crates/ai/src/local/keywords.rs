//! Key phrases by RAKE (Rose et al., 2010): candidate phrases are runs of words between
//! stopwords and punctuation; a word scores degree/frequency; a phrase the sum of its words.
//! With a corpus (the workspace's posts), single words are also weighted by TF-IDF so that what
//! is distinctive for this text outranks what the workspace always says.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::words::{is_stopword, tokens};

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Keyword {
    pub phrase: String,
    pub score: f64,
}

/// Candidate phrases: stopwords and punctuation split them.
fn phrases(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for fragment in text.split(['.', ',', ';', ':', '!', '?', '(', ')', '"', '\n', '—', '–', '|']) {
        let mut current: Vec<String> = Vec::new();
        for word in tokens(fragment) {
            if is_stopword(&word) || word.chars().all(|c| c.is_numeric()) || word.chars().count() < 2 {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            } else {
                current.push(word);
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    // Phrases longer than four words are usually sentence remnants, not key phrases.
    out.retain(|p| p.len() <= 4);
    out
}

/// The top `limit` key phrases of `text`, best first.
pub fn rake(text: &str, limit: usize) -> Vec<Keyword> {
    let phrases = phrases(text);
    let mut frequency: HashMap<&str, f64> = HashMap::new();
    let mut degree: HashMap<&str, f64> = HashMap::new();
    for phrase in &phrases {
        for word in phrase {
            *frequency.entry(word).or_default() += 1.0;
            *degree.entry(word).or_default() += phrase.len() as f64;
        }
    }
    let mut seen = HashSet::new();
    let mut scored: Vec<Keyword> = phrases
        .iter()
        .filter_map(|phrase| {
            let joined = phrase.join(" ");
            seen.insert(joined.clone()).then(|| {
                let score = phrase.iter().map(|w| degree[w.as_str()] / frequency[w.as_str()]).sum::<f64>();
                Keyword { phrase: joined, score: (score * 100.0).round() / 100.0 }
            })
        })
        .collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.phrase.cmp(&b.phrase)));
    scored.truncate(limit);
    scored
}

/// Document frequencies over a corpus, for TF-IDF.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    documents: usize,
    frequency: HashMap<String, usize>,
}

impl Corpus {
    pub fn new<'a>(documents: impl IntoIterator<Item = &'a str>) -> Self {
        let mut corpus = Corpus::default();
        for document in documents {
            corpus.documents += 1;
            let distinct: HashSet<String> = tokens(document).into_iter().filter(|w| !is_stopword(w)).collect();
            for word in distinct {
                *corpus.frequency.entry(word).or_default() += 1;
            }
        }
        corpus
    }

    pub fn len(&self) -> usize {
        self.documents
    }

    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// Smoothed inverse document frequency.
    pub fn idf(&self, word: &str) -> f64 {
        let df = self.frequency.get(word).copied().unwrap_or(0) as f64;
        ((1.0 + self.documents as f64) / (1.0 + df)).ln() + 1.0
    }

    /// How many documents use the word.
    pub fn documents_with(&self, word: &str) -> usize {
        self.frequency.get(word).copied().unwrap_or(0)
    }
}

/// Words of `text` by TF-IDF against `corpus`, best first.
pub fn tf_idf(text: &str, corpus: &Corpus, limit: usize) -> Vec<Keyword> {
    let words: Vec<String> = tokens(text).into_iter().filter(|w| !is_stopword(w) && w.chars().count() > 2 && !w.chars().all(char::is_numeric)).collect();
    let mut counts: HashMap<&str, f64> = HashMap::new();
    for word in &words {
        *counts.entry(word).or_default() += 1.0;
    }
    let total = words.len().max(1) as f64;
    let mut scored: Vec<Keyword> =
        counts.into_iter().map(|(word, count)| Keyword { phrase: word.to_owned(), score: ((count / total * corpus.idf(word)) * 1000.0).round() / 1000.0 }).collect();
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.phrase.cmp(&b.phrase)));
    scored.truncate(limit);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rake_prefers_multi_word_phrases() {
        let keywords = rake("Our new solar panel installation guide is out. Solar panel owners save on energy bills, and the guide explains how.", 4);
        assert!(keywords[..2].iter().any(|k| k.phrase == "solar panel installation guide"), "{keywords:?}");
        assert!(keywords[0].phrase.split(' ').count() > 1);
        assert!(keywords.iter().any(|k| k.phrase == "energy bills"));
    }

    #[test]
    fn tf_idf_ranks_what_is_distinctive() {
        let corpus = Corpus::new(["coffee beans roasted today", "coffee tasting this weekend", "coffee and pastries", "espresso machine repair"]);
        let top = tf_idf("coffee espresso espresso workshop", &corpus, 2);
        assert_eq!(top[0].phrase, "espresso");
        assert_eq!(top[1].phrase, "workshop");
    }
}
