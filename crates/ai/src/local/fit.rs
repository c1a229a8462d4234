//! Fitting a text to a network with the publishing engine's own counting, validation and
//! thread splitting: hashtags moved to the end (within the network's recommended number), then
//! smart shortening (rule-based shortening, then whole sentences dropped from the end, then a
//! word-boundary cut with an ellipsis) — or, where the network has threads, a thread.

use serde::Serialize;
use zenalto_domain::publishing::{Draft, Network, NetworkRules, Report, split_into_thread, validate};

use super::hashtags::hashtags_in;
use super::rewrite::{Style, rewrite};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fitted {
    pub network: Network,
    /// The post text (the first post of a thread).
    pub text: String,
    /// The whole thread when the text was split; empty otherwise.
    pub thread: Vec<String>,
    /// What was done, in order.
    pub steps: Vec<String>,
    /// The publishing engine's verdict on `text`.
    pub report: Report,
}

/// Fits `text` to `network`. `prefer_thread` splits rather than shortens where threads exist.
pub fn fit(network: Network, text: &str, prefer_thread: bool) -> Fitted {
    let rules = NetworkRules::for_network(network);
    let mut steps = Vec::new();
    let mut text = place_hashtags(text, &rules, &mut steps);
    if !rules.text.fits(&text) && prefer_thread && rules.supports_threads
        && let Some(thread) = split_into_thread(network, &text).filter(|parts| parts.len() > 1)
    {
        steps.push(format!("split into a thread of {}", thread.len()));
        let report = validate(network, &Draft::text(thread[0].clone()));
        return Fitted { network, text: thread[0].clone(), thread, steps, report };
    }
    if !rules.text.fits(&text) {
        let shorter = rewrite(&text, Style::Shorten);
        if shorter.text != text {
            steps.push(format!("shortened wording ({})", shorter.applied.len()));
            text = shorter.text;
        }
    }
    if !rules.text.fits(&text) {
        text = cut(&text, &rules, &mut steps);
    }
    let report = validate(network, &Draft::text(text.clone()));
    Fitted { network, text, thread: Vec::new(), steps, report }
}

/// Hashtags go to the end of the post, no more than the network recommends (or allows).
fn place_hashtags(text: &str, rules: &NetworkRules, steps: &mut Vec<String>) -> String {
    let tags = hashtags_in(text);
    if tags.is_empty() {
        return text.trim().to_owned();
    }
    let limit = rules.recommended_max_hashtags.as_ref().or(rules.max_hashtags.as_ref()).map(|f| f.value).unwrap_or(usize::MAX);
    // Tags at the very end stay as written; tags inside sentences keep their word (#coffee →
    // coffee) so the sentence still reads.
    let words: Vec<&str> = text.split_whitespace().collect();
    let trailing = words.iter().rev().take_while(|w| w.starts_with('#')).count();
    let body: Vec<String> = words[..words.len() - trailing].iter().map(|w| w.strip_prefix('#').unwrap_or(w).to_owned()).collect();
    let mut kept: Vec<String> = Vec::new();
    for word in words.iter().filter(|w| w.starts_with('#')) {
        let tag = word.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_').to_owned();
        if !kept.iter().any(|k| k.eq_ignore_ascii_case(&tag)) {
            kept.push(tag);
        }
    }
    if kept.len() > limit {
        steps.push(format!("kept {limit} of {} hashtags (the network's recommendation)", kept.len()));
        kept.truncate(limit);
    }
    let inline = words.len() - trailing != body.iter().zip(&words).filter(|(a, b)| a.as_str() == **b).count();
    if inline {
        steps.push("moved hashtags to the end".into());
    }
    let mut out = body.join(" ");
    if !kept.is_empty() {
        out.push_str("\n\n");
        out.push_str(&kept.join(" "));
    }
    out
}

/// Drops whole sentences from the end (keeping trailing hashtags), then cuts at a word.
fn cut(text: &str, rules: &NetworkRules, steps: &mut Vec<String>) -> String {
    let (body, tags) = match text.rsplit_once("\n\n") {
        Some((body, tags)) if tags.split_whitespace().all(|w| w.starts_with('#')) => (body.to_owned(), format!("\n\n{tags}")),
        _ => (text.to_owned(), String::new()),
    };
    let mut sentences = super::readability::sentences(&body);
    while sentences.len() > 1 {
        sentences.pop();
        let candidate = format!("{}{tags}", sentences.join(" "));
        if rules.text.fits(&candidate) {
            steps.push("dropped closing sentences".into());
            return candidate;
        }
    }
    // Without the tags if the first sentence alone cannot carry them.
    let first = sentences.first().copied().unwrap_or(&body).to_owned();
    let tags = if rules.text.fits(&format!("{first}{tags}")) { tags } else { String::new() };
    let mut words: Vec<&str> = first.split_whitespace().collect();
    while !words.is_empty() {
        let candidate = format!("{}…{tags}", words.join(" ").trim_end_matches([',', ';', ':', '.']));
        if rules.text.fits(&candidate) {
            steps.push("cut at a word boundary".into());
            return candidate;
        }
        words.pop();
    }
    steps.push("nothing fits".into());
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use zenalto_domain::publishing::count;

    #[test]
    fn long_text_fits_x_by_thread_or_by_cutting() {
        let sentence = "Our spring collection has arrived with fresh colours and lighter fabrics for warm days. ";
        let long = format!("{} #spring #fashion", sentence.repeat(6));
        let cut = fit(Network::X, &long, false);
        assert!(count(Network::X, &cut.text).fits(), "{cut:?}");
        assert!(!cut.report.blocks_scheduling());
        assert!(cut.text.ends_with("#spring #fashion"));
        let thread = fit(Network::X, &long, true);
        assert!(thread.thread.len() > 1);
        assert!(thread.thread.iter().all(|part| count(Network::X, part).fits()));
    }

    #[test]
    fn hashtags_move_to_the_end() {
        let fitted = fit(Network::Instagram, "Morning #coffee with friends #weekend", false);
        assert_eq!(fitted.text, "Morning coffee with friends\n\n#coffee #weekend");
    }
}
