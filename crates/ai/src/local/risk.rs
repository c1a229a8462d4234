//! Sensitive or risky content in a draft, by a documented rule list (docs/agents.md): absolute
//! claims, financial and medical promises, profanity, all-caps shouting, and phrases from the
//! reasons people gave when they rejected earlier drafts for the same account.

use serde::Serialize;

use super::keywords::rake;
use super::words::tokens;

/// Words and phrases that promise what nobody can guarantee.
const ABSOLUTE_CLAIMS: &[&str] = &["guaranteed", "guarantee", "100%", "risk-free", "risk free", "never fails", "always works", "best in the world", "no risk"];
/// Promises about money.
const FINANCIAL_PROMISES: &[&str] =
    &["double your money", "get rich", "passive income", "guaranteed returns", "financial freedom", "instant profit", "make money fast"];
/// Promises about health.
const MEDICAL_PROMISES: &[&str] = &["cure", "cures", "heals", "miracle", "clinically proven", "lose weight fast", "detox", "treats anxiety"];
/// Profanity (kept short: the point is to flag for a person, not to police language).
const PROFANITY: &[&str] = &["damn", "hell", "shit", "fuck", "fucking", "crap", "bastard", "ass"];
/// Consecutive all-caps words (of 3+ letters) that read as shouting.
const SHOUTING_RUN: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// absolute_claim, financial_promise, medical_promise, profanity, shouting, past_rejection
    pub rule: &'static str,
    /// The words of the draft that triggered it.
    pub matched: String,
    pub message: String,
}

/// Whether `phrase` occurs in `lower` as whole words.
fn contains_words(lower: &str, phrase: &str) -> bool {
    lower.match_indices(phrase).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The phrases of past rejection reasons worth watching for: RAKE key phrases of each reason,
/// without the words people use to reject anything ("please", "avoid", "stop"…).
pub fn rejection_phrases(reasons: &[String]) -> Vec<String> {
    const GENERIC: &[&str] = &[
        "please",
        "avoid",
        "stop",
        "don't",
        "dont",
        "never",
        "less",
        "more",
        "post",
        "posts",
        "tone",
        "again",
        "mention",
        "mentioning",
        "using",
        "use",
        "pushing",
    ];
    let mut out: Vec<String> = Vec::new();
    for reason in reasons {
        for keyword in rake(reason, 5) {
            let words: Vec<&str> = keyword.phrase.split(' ').filter(|w| !GENERIC.contains(w)).collect();
            let phrase = words.join(" ");
            if phrase.chars().count() >= 4 && !out.contains(&phrase) {
                out.push(phrase);
            }
        }
    }
    out
}

/// Every flag raised by `text`, given the phrases of past rejections for its account.
pub fn flags(text: &str, rejected_phrases: &[String]) -> Vec<Flag> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    let lists: [(&'static str, &[&str], &str); 4] = [
        ("absolute_claim", ABSOLUTE_CLAIMS, "an absolute claim nobody can guarantee"),
        ("financial_promise", FINANCIAL_PROMISES, "a promise about money"),
        ("medical_promise", MEDICAL_PROMISES, "a promise about health"),
        ("profanity", PROFANITY, "profanity"),
    ];
    for (rule, list, what) in lists {
        for phrase in list.iter().filter(|p| contains_words(&lower, p)) {
            out.push(Flag { rule, matched: (*phrase).to_owned(), message: format!("\"{phrase}\" is {what}") });
        }
    }
    let mut run: Vec<&str> = Vec::new();
    let mut shouted: Vec<String> = Vec::new();
    for word in text.split_whitespace().chain(std::iter::once("")) {
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.chars().count() >= 3 && letters.chars().all(char::is_uppercase) {
            run.push(word);
        } else {
            if run.len() >= SHOUTING_RUN {
                shouted.push(run.join(" "));
            }
            run.clear();
        }
    }
    for words in shouted {
        out.push(Flag { rule: "shouting", matched: words.clone(), message: format!("\"{words}\" is in capitals, which reads as shouting") });
    }
    let draft_words = tokens(text).join(" ");
    for phrase in rejected_phrases.iter().filter(|p| contains_words(&draft_words, p)) {
        out.push(Flag {
            rule: "past_rejection",
            matched: phrase.clone(),
            message: format!("\"{phrase}\" was the reason an earlier draft for this account was rejected"),
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rules(text: &str, rejected: &[String]) -> Vec<&'static str> {
        flags(text, rejected).into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn each_rule_fires_on_its_own_kind_of_text_and_not_on_plain_text() {
        assert_eq!(rules("Results guaranteed or your money back", &[]), ["absolute_claim"]);
        assert_eq!(rules("Join now and double your money by June", &[]), ["financial_promise"]);
        assert_eq!(rules("This tea cures colds", &[]), ["medical_promise"]);
        assert_eq!(rules("What the hell happened to the oven", &[]), ["profanity"]);
        assert_eq!(rules("BIG SALE TODAY ONLY at the shop", &[]), ["shouting"]);
        assert!(rules("Fresh bread every morning, see you soon! Hello from the shell shop.", &[]).is_empty(), "whole words only");
        assert!(rules("Our NEW loaf is here", &[]).is_empty(), "one word in capitals is emphasis, not shouting");
    }

    #[test]
    fn phrases_of_past_rejections_are_flagged() {
        let phrases = rejection_phrases(&["Please stop pushing the limited offer".to_owned()]);
        assert!(phrases.contains(&"limited offer".to_owned()), "{phrases:?}");
        assert_eq!(rules("Our limited offer ends Friday!", &phrases), ["past_rejection"]);
        assert!(rules("Our new loaf is here", &phrases).is_empty());
    }
}
