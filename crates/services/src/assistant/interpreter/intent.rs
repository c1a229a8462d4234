//! What a plain-English request asks for, read without a language model: a small grammar of
//! verbs ("write", "schedule", "move", "cancel", "show"), the post it is about ("it", "the
//! second one", "the post about the webinar"), networks, counts, tones, and a day and time or a
//! range (`when`). Pure: the caller resolves references and runs the tools.

use jiff::civil::Date;
use zenalto_ai::local::rewrite::Style;
use zenalto_domain::publishing::Network;

use super::when::{Range, When, parse_range, parse_when, words};

/// Which post a request means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostRef {
    /// "it", "that", "this post": the one the conversation is about.
    It,
    /// "the first one", "the second", "post 3" (1-based) among the ones just drafted or listed.
    Nth(usize),
    /// "the post about the webinar": words to find it by.
    About(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    Draft {
        topic: String,
        count: usize,
        networks: Vec<Network>,
        style: Option<Style>,
    },
    Schedule {
        post: PostRef,
        when: When,
    },
    Queue {
        post: PostRef,
    },
    Reschedule {
        post: PostRef,
        when: When,
    },
    Cancel {
        post: PostRef,
    },
    Calendar {
        range: Range,
    },
    Accounts,
    BestTime {
        network: Option<Network>,
    },
    Performance {
        range: Range,
    },
    Hashtags {
        post: PostRef,
    },
    Rewrite {
        post: PostRef,
        style: Style,
    },
    Find {
        words: Vec<String>,
    },
    /// Something the assistant recognises but does not do here; the text says what.
    Unsupported(&'static str),
    Help,
    Unknown,
}

/// Words dropped from "the post about …" before searching.
const STOP: &[&str] = &["the", "a", "an", "our", "my", "your", "post", "posts", "one", "about", "on", "of", "that", "this", "is", "it", "we", "us"];
/// Words that end "about …" (a time or destination follows).
const END_OF_TOPIC: &[&str] = &[
    "to",
    "for",
    "at",
    "on",
    "tomorrow",
    "today",
    "tonight",
    "next",
    "until",
    "from",
    "in",
    "by",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const NUMBERS: &[(&str, usize)] = &[("one", 1), ("two", 2), ("three", 3), ("four", 4), ("a couple of", 2), ("a few", 3)];
const ORDINALS: &[(&str, usize)] = &[("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("1st", 1), ("2nd", 2), ("3rd", 3), ("4th", 4), ("last", 0)];

pub fn parse(text: &str, today: Date) -> Intent {
    let w = words(text);
    let has = |word: &str| w.iter().any(|x| x == word);
    let has_any = |list: &[&str]| list.iter().any(|word| has(word));
    let phrase = |p: &str| format!(" {} ", w.join(" ")).contains(&format!(" {p} "));

    if phrase("when should i post") || phrase("best time") || phrase("when is the best") {
        return Intent::BestTime { network: networks(&w).first().copied() };
    }
    if has_any(&["help"]) || phrase("what can you do") {
        return Intent::Help;
    }
    if has_any(&["write", "draft", "compose", "create"]) || (has("make") && has_any(&["post", "posts"])) {
        return draft(text, &w);
    }
    if has_any(&["delete", "remove", "erase"]) {
        return Intent::Unsupported(
            "deleting posts is not something I do; cancel a scheduled post instead (it goes back to draft), or delete it in the posts list",
        );
    }
    if has_any(&["cancel", "unschedule"]) || phrase("call off") {
        return Intent::Cancel { post: post_ref(&w) };
    }
    if has_any(&["move", "reschedule", "postpone", "push", "shift"]) {
        return Intent::Reschedule { post: post_ref(&w), when: parse_when(text, today) };
    }
    if has("queue") {
        return Intent::Queue { post: post_ref(&w) };
    }
    if has_any(&["schedule", "publish", "post"]) && !parse_when(text, today).is_empty() && !has_any(&["calendar", "what", "which"]) {
        return Intent::Schedule { post: post_ref(&w), when: parse_when(text, today) };
    }
    if has_any(&["hashtag", "hashtags", "tags"]) {
        return Intent::Hashtags { post: post_ref(&w) };
    }
    if let Some(style) = rewrite_style(&w) {
        return Intent::Rewrite { post: post_ref(&w), style };
    }
    if has_any(&["account", "accounts", "profiles", "channels", "connected"]) {
        return Intent::Accounts;
    }
    if has_any(&["perform", "performance", "performed", "engagement", "stats", "analytics", "likes", "impressions"]) || phrase("how did") || phrase("how are") {
        return Intent::Performance { range: parse_range(text, today) };
    }
    if has_any(&["calendar", "planned", "scheduled", "upcoming", "agenda"]) || phrase("what is on") || phrase("what s on") || phrase("what's on") {
        return Intent::Calendar { range: parse_range(text, today) };
    }
    if has_any(&["find", "search", "look", "which"]) || (has("show") && has_any(&["post", "posts"])) {
        let words = topic_words(&w);
        if !words.is_empty() {
            return Intent::Find { words };
        }
    }
    if has("schedule") {
        return Intent::Schedule { post: post_ref(&w), when: When::default() };
    }
    Intent::Unknown
}

fn draft(text: &str, w: &[String]) -> Intent {
    let joined = format!(" {} ", w.join(" "));
    let count = NUMBERS
        .iter()
        .find(|(word, _)| joined.contains(&format!(" {word} ")))
        .map(|(_, n)| *n)
        .or_else(|| w.iter().find_map(|x| x.parse::<usize>().ok().filter(|n| (1..=4).contains(n))))
        .unwrap_or(1);
    let style = if w.iter().any(|x| matches!(x.as_str(), "friendly" | "casual" | "fun" | "playful" | "warm")) {
        Some(Style::Casual)
    } else if w.iter().any(|x| matches!(x.as_str(), "formal" | "professional" | "serious")) {
        Some(Style::Formal)
    } else if w.iter().any(|x| matches!(x.as_str(), "short" | "brief" | "punchy")) {
        Some(Style::Shorten)
    } else {
        None
    };
    Intent::Draft { topic: topic_text(text), count, networks: networks(w), style }
}

/// The networks a request names. "x" counts only right after "for", "on", "and" or a comma
/// (where it cannot be a stray letter).
pub fn networks(w: &[String]) -> Vec<Network> {
    let mut out = Vec::new();
    for (i, word) in w.iter().enumerate() {
        let network = match word.as_str() {
            "twitter" | "tweet" | "tweets" => Some(Network::X),
            "x" if i > 0 && matches!(w[i - 1].as_str(), "for" | "on" | "and" | "to") => Some(Network::X),
            "x" => None,
            "insta" | "ig" => Some(Network::Instagram),
            "bsky" => Some(Network::Bluesky),
            "fb" => Some(Network::Facebook),
            other => Network::ALL.into_iter().find(|n| n.as_str() == other || n.label().to_lowercase() == other),
        };
        if let Some(network) = network
            && !out.contains(&network)
        {
            out.push(network);
        }
    }
    out
}

/// The topic of a drafting request, in the person's own casing: what follows "about" (or "on"),
/// up to the networks or the end.
fn topic_text(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let start = [" about ", " on ", " for "].iter().find_map(|k| lower.find(k).map(|i| i + k.len())).unwrap_or(0);
    let rest = &text[start..];
    let rest_lower = &lower[start..];
    let end = [" for ", " on ", " to post on ", " in "]
        .iter()
        .filter_map(|k| rest_lower.find(k).filter(|i| !networks(&words(&rest_lower[*i..])).is_empty()))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim().trim_end_matches(['.', '!', '?']).to_owned()
}

fn rewrite_style(w: &[String]) -> Option<Style> {
    let has = |x: &str| w.iter().any(|y| y == x);
    if has("shorter") || has("shorten") || has("trim") || has("tighten") {
        Some(Style::Shorten)
    } else if has("simpler") || has("simplify") || has("plainer") {
        Some(Style::Simplify)
    } else if has("formal") || has("professional") {
        Some(Style::Formal)
    } else if has("casual") || has("friendlier") || has("friendly") || has("relaxed") {
        Some(Style::Casual)
    } else {
        None
    }
}

/// The words after "about" (or after the verb) that name a post, without filler or the time.
fn topic_words(w: &[String]) -> Vec<String> {
    let start = w.iter().position(|x| x == "about" || x == "mentioning" || x == "called").map(|i| i + 1).unwrap_or(1);
    w.iter().skip(start).take_while(|x| !END_OF_TOPIC.contains(&x.as_str())).filter(|x| !STOP.contains(&x.as_str()) && x.len() > 1).cloned().collect()
}

pub fn post_ref(w: &[String]) -> PostRef {
    if w.iter().any(|x| x == "about" || x == "mentioning" || x == "called") {
        let words = topic_words(w);
        if !words.is_empty() {
            return PostRef::About(words);
        }
    }
    for (word, n) in ORDINALS {
        if w.iter().any(|x| x == word) {
            return PostRef::Nth(*n);
        }
    }
    if let Some(i) = w.iter().position(|x| x == "post" || x == "number" || x == "draft")
        && let Some(n) = w.get(i + 1).and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=20).contains(n))
    {
        return PostRef::Nth(n);
    }
    PostRef::It
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "intent_tests.rs"]
mod tests;
