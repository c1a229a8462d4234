//! Rule-based rewrites: shorten, simplify, more formal, more casual. Each returns the new text
//! and the rules that changed something, so the user sees why.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    Shorten,
    Simplify,
    Formal,
    Casual,
    /// Longer and plainer to read: a provider adds detail; the local engine can only spell out
    /// shorthand (and the service adds hashtags from the workspace's own posts).
    Expand,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewrite {
    pub text: String,
    pub applied: Vec<String>,
}

/// Wordy phrase → plain phrase (also used by Shorten).
const PLAIN: &[(&str, &str)] = &[
    ("in order to", "to"), ("due to the fact that", "because"), ("at this point in time", "now"), ("in the event that", "if"),
    ("a large number of", "many"), ("the majority of", "most"), ("is able to", "can"), ("are able to", "can"),
    ("has the ability to", "can"), ("with regard to", "about"), ("in spite of the fact that", "although"),
    ("for the purpose of", "for"), ("at the present time", "now"), ("prior to", "before"), ("subsequent to", "after"),
    ("in close proximity to", "near"), ("make a decision", "decide"), ("take into consideration", "consider"),
    ("utilize", "use"), ("utilise", "use"), ("commence", "start"), ("terminate", "end"), ("facilitate", "help"),
    ("demonstrate", "show"), ("approximately", "about"), ("sufficient", "enough"), ("purchase", "buy"),
    ("assistance", "help"), ("additional", "more"), ("numerous", "many"), ("individuals", "people"),
    ("endeavour", "try"), ("endeavor", "try"), ("obtain", "get"), ("require", "need"), ("inform", "tell"),
];

/// Words that add nothing, dropped when shortening.
const FILLER: &[&str] = &[
    "really ", "very ", "actually ", "basically ", "literally ", "just ", "quite ", "simply ", "totally ", "definitely ",
    "honestly ", "truly ",
];

const CONTRACTIONS: &[(&str, &str)] = &[
    ("do not", "don't"), ("does not", "doesn't"), ("did not", "didn't"), ("is not", "isn't"), ("are not", "aren't"),
    ("was not", "wasn't"), ("were not", "weren't"), ("cannot", "can't"), ("will not", "won't"), ("would not", "wouldn't"),
    ("should not", "shouldn't"), ("could not", "couldn't"), ("have not", "haven't"), ("has not", "hasn't"),
    ("it is", "it's"), ("that is", "that's"), ("we are", "we're"), ("you are", "you're"), ("they are", "they're"),
    ("I am", "I'm"), ("we will", "we'll"), ("you will", "you'll"), ("let us", "let's"), ("we have", "we've"),
];

const CASUAL_WORDS: &[(&str, &str)] = &[
    ("hello", "hi"), ("purchase", "buy"), ("assist", "help"), ("however", "but"), ("therefore", "so"),
    ("additionally", "also"), ("regarding", "about"), ("receive", "get"), ("excellent", "great"),
];

const FORMAL_WORDS: &[(&str, &str)] = &[
    ("gonna", "going to"), ("wanna", "want to"), ("gotta", "have to"), ("kinda", "somewhat"), ("yeah", "yes"),
    ("hey", "hello"), ("hi", "hello"), ("awesome", "excellent"), ("cool", "good"), ("stuff", "items"),
    ("thanks", "thank you"), ("lots of", "many"), ("a lot of", "many"), ("get", "receive"), ("buy", "purchase"),
    ("guys", "everyone"), ("folks", "everyone"), ("super ", "very "), ("ok", "acceptable"), ("okay", "acceptable"),
];

/// Shorthand → words, for expanding.
const SHORTHAND: &[(&str, &str)] = &[
    ("w/o", "without"), ("w/", "with"), ("b/c", "because"), ("bc", "because"), ("thx", "thanks"), ("ty", "thank you"),
    ("pls", "please"), ("plz", "please"), ("u", "you"), ("ur", "your"), ("tmrw", "tomorrow"), ("tmr", "tomorrow"),
    ("asap", "as soon as possible"), ("btw", "by the way"), ("fyi", "for your information"), ("imo", "in my opinion"),
    ("imho", "in my humble opinion"), ("idk", "I don't know"), ("ppl", "people"), ("approx", "approximately"),
    ("mins", "minutes"), ("hrs", "hours"), ("pics", "pictures"), ("info", "information"), ("&", "and"), ("+", "and"),
    ("esp", "especially"), ("yr", "year"), ("wk", "week"), ("mo", "month"), ("msg", "message"), ("gr8", "great"),
];

/// Replaces whole words or phrases, case-insensitively, keeping a leading capital.
fn replace_phrase(text: &str, from: &str, to: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let from_lower = from.to_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut changed = false;
    let mut search = 0;
    while let Some(found) = lower[search..].find(&from_lower) {
        let start = search + found;
        let end = start + from_lower.len();
        let before_ok = lower[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '\'');
        let after_ok = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '\'');
        // Lower-casing can change byte lengths outside ASCII; only rewrite where offsets agree.
        if before_ok && after_ok && text.is_char_boundary(start) && text.is_char_boundary(end) && lower.len() == text.len() {
            out.push_str(&text[last..start]);
            let original_capital = text[start..].chars().next().is_some_and(char::is_uppercase);
            if original_capital {
                let mut chars = to.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push_str(to);
            }
            last = end;
            changed = true;
        }
        search = end;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

fn apply_table(text: &mut String, table: &[(&str, &str)], applied: &mut Vec<String>) {
    for (from, to) in table {
        if let Some(new) = replace_phrase(text, from.trim_end(), to.trim_end()) {
            *text = new;
            applied.push(format!("\"{}\" → \"{}\"", from.trim_end(), to.trim_end()));
        }
    }
}

fn tidy(text: &str) -> String {
    let mut out = text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    for (from, to) in [(" ,", ","), (" .", "."), ("!!!", "!"), ("!!", "!"), ("??", "?")] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out.trim().to_owned()
}

pub fn rewrite(text: &str, style: Style) -> Rewrite {
    let mut out = text.to_owned();
    let mut applied = Vec::new();
    match style {
        Style::Shorten => {
            apply_table(&mut out, PLAIN, &mut applied);
            for filler in FILLER {
                if let Some(new) = replace_phrase(&out, filler.trim_end(), "") {
                    out = new;
                    applied.push(format!("dropped \"{}\"", filler.trim_end()));
                }
            }
            // Parenthetical asides go first when space is short.
            while let (Some(open), Some(close)) = (out.find(" ("), out.find(')')) {
                if close <= open {
                    break;
                }
                out.replace_range(open..=close, "");
                applied.push("dropped a parenthetical".into());
            }
        }
        Style::Simplify => {
            apply_table(&mut out, PLAIN, &mut applied);
            // Long sentences split at "; " and ", and ".
            let before = out.clone();
            out = out.replace("; ", ". ");
            out = split_long_at(&out, ", and ", 20);
            if out != before {
                applied.push("split long sentences".into());
            }
        }
        Style::Formal => {
            for (full, short) in CONTRACTIONS {
                if let Some(new) = replace_phrase(&out, short, full) {
                    out = new;
                    applied.push(format!("expanded \"{short}\""));
                }
            }
            apply_table(&mut out, FORMAL_WORDS, &mut applied);
            if out.contains('!') {
                while out.contains("!!") {
                    out = out.replace("!!", "!");
                }
                out = out.replace('!', ".");
                applied.push("calmer punctuation".into());
            }
        }
        Style::Casual => {
            for (full, short) in CONTRACTIONS {
                if let Some(new) = replace_phrase(&out, full, short) {
                    out = new;
                    applied.push(format!("contracted \"{full}\""));
                }
            }
            apply_table(&mut out, CASUAL_WORDS, &mut applied);
        }
        Style::Expand => apply_table(&mut out, SHORTHAND, &mut applied),
    }
    let text = tidy(&out);
    Rewrite { text: capitalise_sentences(&text), applied }
}

fn split_long_at(text: &str, joiner: &str, min_words: usize) -> String {
    super::readability::sentences(text)
        .into_iter()
        .map(|s| {
            if s.split_whitespace().count() >= min_words && s.contains(joiner) {
                s.replacen(joiner, ". And ", 1)
            } else {
                s.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise_sentences(text: &str) -> String {
    // Only a letter starting a word after a sentence end (". x") is raised: never inside URLs,
    // hashtags or mentions ("example.com", "#spring").
    let mut out = String::with_capacity(text.len());
    let mut capital_next = true;
    let mut after_stop = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if after_stop {
                capital_next = true;
            }
            out.push(c);
            continue;
        }
        after_stop = false;
        if capital_next && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        capital_next = false;
        if matches!(c, '.' | '!' | '?') {
            after_stop = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_style_changes_what_it_should() {
        let short = rewrite("We are really excited (and a little nervous) in order to utilize the new tools.", Style::Shorten);
        assert_eq!(short.text, "We are excited to use the new tools.");
        assert!(short.text.len() < 70);
        let formal = rewrite("Hey guys, we're gonna launch lots of cool stuff!!", Style::Formal);
        assert_eq!(formal.text, "Hello everyone, we are going to launch many good items.");
        let casual = rewrite("Hello. We are pleased that you will receive it. It is not late.", Style::Casual);
        assert_eq!(casual.text, "Hi. We're pleased that you'll get it. It isn't late.");
        let simple = rewrite("Individuals who purchase prior to Friday obtain additional assistance.", Style::Simplify);
        assert_eq!(simple.text, "People who buy before Friday get more help.");
        let long = rewrite("New menu tmrw w/ vegan pics & more info, R&D by our team b/c u asked", Style::Expand);
        assert_eq!(long.text, "New menu tomorrow with vegan pictures and more information, R&D by our team because you asked");
    }
}
