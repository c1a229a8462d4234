//! Tokenising shared by the local engine.

/// Words as lower-case tokens, keeping inner apostrophes ("don't") and dropping punctuation.
/// Hashtags and mentions lose their sigil; URLs are skipped.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !w.starts_with("http://") && !w.starts_with("https://"))
        .flat_map(|w| w.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’').replace('’', "'").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Common English words that carry no topic.
pub(crate) const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "don't",
    "down", "during", "each", "few", "for", "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "itself", "just",
    "let's", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "that's",
    "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "us", "very", "was", "we", "we're", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "you're", "your", "yours", "yourself", "yourselves", "new", "one", "also", "via",
    "today", "all", "every", "make", "made", "many", "much", "need", "see", "still", "via", "way", "well", "yet", "been",
];

pub(crate) fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}
