//! Lexicon-and-rules sentiment in the manner of VADER (Hutto & Gilbert, 2014): word valences,
//! boosters and dampeners, negation within three words, ALL-CAPS emphasis, exclamation marks,
//! emoji, and the contrastive "but" (what follows it counts more than what precedes it).

use serde::Serialize;

use super::lexicon::{EMOJI, booster, is_negation, valence};

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sentiment {
    /// -1 (most negative) to +1 (most positive).
    pub compound: f64,
    pub positive: f64,
    pub negative: f64,
    pub neutral: f64,
    pub label: Label,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Positive,
    Neutral,
    Negative,
}

const NEGATION_SCALAR: f64 = -0.74;
const CAPS_BOOST: f64 = 0.733;
/// VADER's normalisation constant.
const ALPHA: f64 = 15.0;

struct Token {
    word: String,
    shouting: bool,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for raw in text.split_whitespace() {
        if raw.starts_with("http://") || raw.starts_with("https://") {
            continue;
        }
        // Emoji may be glued to words ("great😍"): split them out as tokens of their own.
        let mut word = String::new();
        let mut rest = raw;
        while !rest.is_empty() {
            if let Some((emoji, _)) = EMOJI.iter().filter(|(e, _)| rest.starts_with(e)).max_by_key(|(e, _)| e.len()) {
                push_word(&mut tokens, &mut word);
                tokens.push(Token { word: (*emoji).to_owned(), shouting: false });
                rest = &rest[emoji.len()..];
                continue;
            }
            let Some(c) = rest.chars().next() else { break };
            if c.is_alphanumeric() || c == '\'' || c == '’' {
                word.push(if c == '’' { '\'' } else { c });
            } else {
                push_word(&mut tokens, &mut word);
            }
            rest = &rest[c.len_utf8()..];
        }
        push_word(&mut tokens, &mut word);
    }
    tokens
}

fn push_word(tokens: &mut Vec<Token>, word: &mut String) {
    let trimmed = word.trim_matches('\'');
    if !trimmed.is_empty() {
        let shouting = trimmed.chars().count() > 1 && trimmed.chars().any(char::is_alphabetic) && !trimmed.chars().any(char::is_lowercase);
        tokens.push(Token { word: trimmed.to_lowercase(), shouting });
    }
    word.clear();
}

/// Scores a text.
pub fn sentiment(text: &str) -> Sentiment {
    let tokens = tokenize(text);
    // Emphasis by caps only counts when the text is not all caps.
    let mixed_case = tokens.iter().any(|t| !t.shouting) && tokens.iter().any(|t| t.shouting);
    let mut scores: Vec<f64> = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let base = valence(&token.word).or_else(|| EMOJI.iter().find(|(e, _)| *e == token.word).map(|(_, v)| *v));
        // "kind of" and "sort of" are dampeners, not the words "kind"/"sort".
        let Some(mut score) = base.filter(|_| !(matches!(token.word.as_str(), "kind" | "sort") && next_is(&tokens, i, "of"))) else {
            scores.push(0.0);
            continue;
        };
        if mixed_case && token.shouting {
            score += CAPS_BOOST * score.signum();
        }
        // Boosters and negations in the three words before, weaker the further away.
        for (distance, factor) in [(1usize, 1.0), (2, 0.95), (3, 0.9)] {
            let Some(before) = i.checked_sub(distance).and_then(|j| tokens.get(j)) else { break };
            if let Some(boost) = booster(&before.word) {
                let mut boost = boost * factor;
                if mixed_case && before.shouting {
                    boost += CAPS_BOOST * boost.signum();
                }
                score += boost * score.signum();
            }
            if is_negation(&before.word) {
                score *= NEGATION_SCALAR;
            }
        }
        // "never so good" style: a negation followed by a booster is still a negation (handled
        // above); "least" before a positive word turns it negative.
        if i >= 1 && tokens[i - 1].word == "least" {
            score *= NEGATION_SCALAR;
        }
        scores.push(score);
    }
    // "but": the clause before it weighs half, the clause after it one and a half.
    if let Some(at) = tokens.iter().position(|t| t.word == "but" || t.word == "however") {
        for (i, score) in scores.iter_mut().enumerate() {
            if i < at {
                *score *= 0.5;
            } else if i > at {
                *score *= 1.5;
            }
        }
    }
    let mut sum: f64 = scores.iter().sum();
    let exclamations = text.matches('!').count().min(4) as f64;
    let questions = text.matches('?').count();
    if sum != 0.0 {
        sum += exclamations * 0.292 * sum.signum();
        if questions > 1 {
            sum += (questions.min(3) as f64 * 0.18) * sum.signum();
        }
    }
    let compound = if sum == 0.0 { 0.0 } else { (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0) };

    let positive_sum: f64 = scores.iter().filter(|s| **s > 0.0).map(|s| s + 1.0).sum();
    let negative_sum: f64 = scores.iter().filter(|s| **s < 0.0).map(|s| s.abs() + 1.0).sum();
    let neutral_count = scores.iter().filter(|s| **s == 0.0).count() as f64;
    let total = positive_sum + negative_sum + neutral_count;
    let share = |x: f64| if total > 0.0 { (x / total * 1000.0).round() / 1000.0 } else { 0.0 };
    let label = if compound >= 0.05 {
        Label::Positive
    } else if compound <= -0.05 {
        Label::Negative
    } else {
        Label::Neutral
    };
    Sentiment { compound: (compound * 10_000.0).round() / 10_000.0, positive: share(positive_sum), negative: share(negative_sum), neutral: share(neutral_count), label }
}

fn next_is(tokens: &[Token], i: usize, word: &str) -> bool {
    tokens.get(i + 1).is_some_and(|t| t.word == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_move_the_score_the_right_way() {
        let good = sentiment("The food was good").compound;
        assert!(good > 0.0);
        assert!(sentiment("The food was very good").compound > good, "booster");
        assert!(sentiment("The food was GOOD").compound > good, "caps emphasis");
        assert!(sentiment("The food was good!").compound > good, "exclamation");
        assert!(sentiment("The food was not good").compound < 0.0, "negation");
        assert!(sentiment("The food was kind of good").compound < good, "dampener");
        assert!(sentiment("The food was good 😍").compound > good, "emoji");
        assert!(sentiment("😡😡").compound < 0.0, "emoji alone");
        assert!(sentiment("The food was good but the service was terrible").compound < 0.0, "but: the second clause dominates");
        assert!(sentiment("The service was terrible but the food was great").compound > 0.0);
        assert_eq!(sentiment("The meeting is at noon on Tuesday").label, Label::Neutral);
    }
}
