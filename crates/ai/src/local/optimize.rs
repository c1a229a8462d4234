//! Concrete suggestions for a draft: what to change, why, and — where the workspace's model
//! measures that aspect — a probe text with the change made, so the caller can price the change
//! with the model instead of us claiming an effect. Sources: the publishing engine's validation,
//! readability, the workspace's best posts' lengths, hashtags ranked from the workspace, and
//! simple checks for a call to action, a question and emoji.

use serde::Serialize;
use zenalto_domain::publishing::{Draft, Network, NetworkRules, Severity, validate};

use super::hashtags::{self, hashtags_in};
use super::predict::features::is_emoji;
use super::readability::readability;
use super::rewrite::{Style, rewrite};

/// What the workspace's history says about its best posts.
#[derive(Clone, Debug, Default)]
pub struct BestPosts {
    /// Posts in the best quarter by engagement.
    pub posts: usize,
    /// The middle half of their lengths, in characters.
    pub length: Option<(usize, usize)>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// validation, readability, length, hashtags, call_to_action, question, emoji
    pub kind: &'static str,
    pub what: String,
    pub why: String,
    /// The draft with the change made, when the model can weigh that change.
    #[serde(skip)]
    pub probe: Option<String>,
}

const CTA_WORDS: [&str; 22] = [
    "book",
    "buy",
    "click",
    "comment",
    "download",
    "follow",
    "get",
    "join",
    "learn",
    "order",
    "read",
    "register",
    "reply",
    "reserve",
    "save",
    "share",
    "shop",
    "sign",
    "subscribe",
    "tell",
    "try",
    "visit",
];

fn has_call_to_action(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| CTA_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Suggestions for `text` on `network`, most important first (validation errors lead).
pub fn suggest(
    text: &str,
    network: Network,
    best: &BestPosts,
    tags: &[hashtags::Suggestion],
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    let report = validate(network, &Draft::text(text));
    for severity in [Severity::Error, Severity::Warning, Severity::Suggestion] {
        for issue in report.with_severity(severity) {
            let why = match severity {
                Severity::Error => format!(
                    "{} would reject the post: it cannot be scheduled as is",
                    network.label()
                ),
                Severity::Warning => "the post goes out, but probably not as intended".to_owned(),
                Severity::Suggestion => format!("{}'s own guidance", network.label()),
            };
            out.push(Suggestion {
                kind: "validation",
                what: issue.message.clone(),
                why,
                probe: None,
            });
        }
    }
    let ease = readability(text).flesch_reading_ease;
    if ease < 60.0 {
        let simpler = rewrite(text, Style::Simplify).text;
        out.push(Suggestion {
            kind: "readability",
            what: "Use shorter sentences and plainer words".into(),
            why: format!("Flesch reading ease is {ease:.0}; 60–70 is plain English"),
            probe: (simpler != text).then_some(simpler),
        });
    }
    let length = text.chars().count();
    if let Some((low, high)) = best.length {
        let why = format!(
            "the workspace's best-performing quarter ({} posts) are mostly {low}–{high} characters; this draft has {length}",
            best.posts
        );
        if length > high {
            let shorter = rewrite(text, Style::Shorten).text;
            out.push(Suggestion {
                kind: "length",
                what: format!("Shorten it toward {high} characters"),
                why,
                probe: (shorter != text).then_some(shorter),
            });
        } else if length < low {
            out.push(Suggestion {
                kind: "length",
                what: format!("Say a little more: about {low} characters"),
                why,
                probe: None,
            });
        }
    }
    let rules = NetworkRules::for_network(network);
    let room = rules
        .recommended_max_hashtags
        .as_ref()
        .or(rules.max_hashtags.as_ref())
        .map(|f| f.value)
        .unwrap_or(3);
    let present = hashtags_in(text).len();
    if present > room {
        out.push(Suggestion {
            kind: "hashtags",
            what: format!("Keep at most {room} hashtags"),
            why: format!(
                "{} recommends up to {room}; this draft has {present}",
                network.label()
            ),
            probe: None,
        });
    } else if present < room.min(3) {
        let picked: Vec<&hashtags::Suggestion> = tags
            .iter()
            .filter(|t| t.source == "workspace_history")
            .take(room.min(3) - present)
            .collect();
        if !picked.is_empty() {
            let names: Vec<String> = picked.iter().map(|t| format!("#{}", t.tag)).collect();
            let evidence: Vec<String> = picked
                .iter()
                .map(|t| {
                    format!(
                        "#{} in {} posts, mean engagement {}",
                        t.tag,
                        t.used_in_posts,
                        t.mean_engagement.unwrap_or(0.0)
                    )
                })
                .collect();
            out.push(Suggestion {
                kind: "hashtags",
                what: format!("Add {}", names.join(" ")),
                why: format!(
                    "ranked from the workspace's posts on this topic: {}",
                    evidence.join("; ")
                ),
                probe: Some(format!("{text} {}", names.join(" "))),
            });
        }
    }
    if !has_call_to_action(text) {
        out.push(Suggestion {
            kind: "call_to_action",
            what: "End with what the reader should do (read, book, reply, try…)".into(),
            why: "the draft asks nothing of the reader".into(),
            probe: None,
        });
    }
    if !text.contains('?') {
        out.push(Suggestion {
            kind: "question",
            what: "Ask the reader a question".into(),
            why: "questions invite replies".into(),
            probe: Some(format!("{text} What do you think?")),
        });
    }
    let emoji = text.chars().filter(|c| is_emoji(*c)).count();
    if emoji == 0 && network != Network::LinkedIn {
        out.push(Suggestion {
            kind: "emoji",
            what: "Add an emoji that fits the message".into(),
            why: "the draft has none".into(),
            probe: Some(format!("{text} ✨")),
        });
    } else if emoji > 5 {
        out.push(Suggestion {
            kind: "emoji",
            what: "Use fewer emoji".into(),
            why: format!("{emoji} emoji can read as noise"),
            probe: None,
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn kinds(list: &[Suggestion]) -> Vec<&'static str> {
        list.iter().map(|s| s.kind).collect()
    }

    #[test]
    fn a_bare_long_draft_gets_the_expected_suggestions() {
        let text = "Notwithstanding considerable organisational complexity, the reorganisation of our manufacturing infrastructure necessitates comprehensive evaluation.";
        let best = BestPosts {
            posts: 12,
            length: Some((40, 90)),
        };
        let list = suggest(text, Network::Mastodon, &best, &[]);
        let found = kinds(&list);
        for kind in [
            "readability",
            "length",
            "call_to_action",
            "question",
            "emoji",
        ] {
            assert!(found.contains(&kind), "{kind} missing from {found:?}");
        }
        let length = list.iter().find(|s| s.kind == "length").unwrap();
        assert!(
            length.why.contains("12 posts") && length.why.contains("40–90"),
            "{length:?}"
        );
    }

    #[test]
    fn a_draft_over_the_limit_leads_with_the_validation_error() {
        let text = "word ".repeat(80);
        let list = suggest(&text, Network::X, &BestPosts::default(), &[]);
        assert_eq!(list[0].kind, "validation", "{list:?}");
        assert!(list[0].why.contains("reject"));
    }

    #[test]
    fn a_complete_draft_gets_no_style_advice() {
        let text = "Our bakery opens at 8 tomorrow 🥐 Want a fresh loaf? Book a table now.";
        let list = suggest(
            text,
            Network::Mastodon,
            &BestPosts {
                posts: 5,
                length: Some((40, 120)),
            },
            &[],
        );
        assert!(
            !kinds(&list)
                .iter()
                .any(|k| ["call_to_action", "question", "emoji", "length"].contains(k)),
            "{list:?}"
        );
    }
}
