//! Flesch reading ease and Flesch–Kincaid grade, with a heuristic syllable counter.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readability {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// 0–100, higher is easier; 60–70 is plain English.
    pub flesch_reading_ease: f64,
    pub flesch_kincaid_grade: f64,
}

/// Syllables in an English word: vowel groups, minus a silent final "e", at least one.
pub fn syllables(word: &str) -> usize {
    let word: String = word.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    if word.is_empty() {
        return 0;
    }
    if word.len() <= 3 {
        return 1;
    }
    let mut count = 0;
    let mut previous_vowel = false;
    for c in word.chars() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    if word.ends_with('e') && !word.ends_with("le") && count > 1 {
        count -= 1;
    }
    if (word.ends_with("ed") && !word.ends_with("ted") && !word.ends_with("ded")) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

pub fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '!', '?', '\n']).map(str::trim).filter(|s| s.chars().any(char::is_alphanumeric)).collect()
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| !w.starts_with("http") && !w.starts_with('#') && !w.starts_with('@'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

pub fn readability(text: &str) -> Readability {
    let sentence_count = sentences(text).len().max(1);
    let words = words(text);
    let word_count = words.len();
    let syllable_count: usize = words.iter().map(|w| syllables(w)).sum();
    if word_count == 0 {
        return Readability { sentences: 0, words: 0, syllables: 0, flesch_reading_ease: 0.0, flesch_kincaid_grade: 0.0 };
    }
    let wps = word_count as f64 / sentence_count as f64;
    let spw = syllable_count as f64 / word_count as f64;
    let round = |x: f64| (x * 10.0).round() / 10.0;
    Readability {
        sentences: sentence_count,
        words: word_count,
        syllables: syllable_count,
        flesch_reading_ease: round(206.835 - 1.015 * wps - 84.6 * spw),
        flesch_kincaid_grade: round(0.39 * wps + 11.8 * spw - 15.59),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_and_scores() {
        assert_eq!(syllables("cat"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("beautiful"), 3);
        assert_eq!(syllables("make"), 1);
        let easy = readability("The cat sat on the mat. It was fun.");
        let hard = readability("Organisational interdependencies necessitate comprehensive institutional coordination mechanisms.");
        assert!(easy.flesch_reading_ease > 90.0, "{easy:?}");
        assert!(hard.flesch_reading_ease < 10.0, "{hard:?}");
        assert!(hard.flesch_kincaid_grade > easy.flesch_kincaid_grade);
    }
}
