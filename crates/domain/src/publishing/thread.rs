//! Splitting a long text into a thread of posts that each fit the network's own counting. Breaks
//! are preferred in this order: between paragraphs, between sentences, between words, and only
//! as a last resort between grapheme clusters; never inside a URL, @mention or #hashtag. Parts
//! are trimmed slices of the original text, so nothing but whitespace at a break is ever lost or
//! changed.

use unicode_segmentation::UnicodeSegmentation;

use super::entities::{self, EntityKind, Urls};
use super::network::Network;
use super::rules::{NetworkRules, TextRules};

/// Whether parts carry a " (2/5)" suffix. The suffix is counted in each part's length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    None,
    Suffix,
}

/// Splits `text` into numbered posts for `network`, or `None` if the network has no threads.
/// A text that fits one post comes back whole and unnumbered; a blank text gives no posts.
///
/// Every part fits, with one exception no splitter can avoid: a single URL, mention or hashtag
/// longer than a whole post (possible on Bluesky, which counts URLs in full) becomes a part of
/// its own that is still too long, which validating that part reports.
pub fn split_into_thread(network: Network, text: &str) -> Option<Vec<String>> {
    split_into_thread_with(&NetworkRules::for_network(network), text, Numbering::Suffix)
}

/// [`split_into_thread`] with explicit rules (a Mastodon server's limits) and numbering.
pub fn split_into_thread_with(rules: &NetworkRules, text: &str, numbering: Numbering) -> Option<Vec<String>> {
    if !rules.supports_threads {
        return None;
    }
    let whole = text.trim();
    if whole.is_empty() {
        return Some(Vec::new());
    }
    if rules.text.fits(whole) {
        return Some(vec![whole.to_owned()]);
    }
    let breaks = Breaks::of(text);
    let parts = match numbering {
        Numbering::None => pack(text, &breaks, rules.text.max.value, |part| rules.text.fits(part)),
        Numbering::Suffix => numbered(text, &breaks, &rules.text),
    };
    Some(parts)
}

/// Packs with room reserved for the widest suffix of a digit count (" (9/9)", " (99/99)"…),
/// widening until the number of parts fits the reservation. Digits weigh the same in every
/// counting unit, so any real suffix of that width fits where the placeholder did.
fn numbered(text: &str, breaks: &Breaks, rules: &TextRules) -> Vec<String> {
    let mut digits = 1;
    loop {
        let widest = "9".repeat(digits);
        let placeholder = suffix(&widest, &widest);
        let parts = pack(text, breaks, rules.max.value, |part| rules.fits(&format!("{part}{placeholder}")));
        let total = parts.len();
        if total.to_string().len() <= digits {
            return parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| format!("{part}{}", suffix(&(i + 1).to_string(), &total.to_string())))
                .collect();
        }
        digits += 1;
    }
}

fn suffix(index: &str, total: &str) -> String {
    format!(" ({index}/{total})")
}

/// Greedy packing: each part takes as much as fits, cut at the best kind of break available.
fn pack(text: &str, breaks: &Breaks, limit: usize, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = skip_whitespace(text, 0);
    while start < text.len() {
        let rest = text[start..].trim_end();
        if breaks.may_fit(start, text.len(), limit) && fits(rest) {
            parts.push(rest.to_owned());
            break;
        }
        let end = breaks.best_end(text, start, limit, &fits);
        parts.push(text[start..end].trim_end().to_owned());
        start = skip_whitespace(text, end);
    }
    parts
}

fn skip_whitespace(text: &str, from: usize) -> usize {
    text[from..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |offset| from + offset)
}

/// Candidate cut positions (byte offsets, ascending, each ending with `text.len()`), coarsest
/// first: paragraphs, sentences, words, grapheme clusters.
struct Breaks {
    levels: [Vec<usize>; 4],
    /// `(position, floor)` at every grapheme boundary: a cheap lower bound on the length of
    /// `text[..position]` in any counting unit (one per grapheme, but one per URL or mention,
    /// which X and Mastodon count short). It rules out candidates without running the real
    /// counter, which for X means a full twitter-text parse.
    floors: Vec<(usize, usize)>,
}

impl Breaks {
    fn of(text: &str) -> Self {
        let atoms = entities::find(text, Urls::WithOrWithoutScheme);
        let outside_atoms = |&position: &usize| entities::straddling(&atoms, position).is_none();
        let mut paragraphs = Vec::new();
        let mut words = Vec::new();
        let mut in_whitespace = false;
        for (position, c) in text.char_indices() {
            if c.is_whitespace() && !in_whitespace {
                words.push(position);
                let run = &text[position..];
                let run = &run[..run.find(|c: char| !c.is_whitespace()).unwrap_or(run.len())];
                if run.matches('\n').count() >= 2 {
                    paragraphs.push(position);
                }
            }
            in_whitespace = c.is_whitespace();
        }
        let sentences =
            text.split_sentence_bound_indices().map(|(position, _)| position).filter(|p| *p > 0).filter(outside_atoms).collect();
        let graphemes = text.grapheme_indices(true).map(|(position, _)| position).filter(|p| *p > 0).filter(outside_atoms).collect();
        let mut levels = [paragraphs, sentences, words, graphemes];
        for level in &mut levels {
            level.push(text.len());
        }
        Breaks { levels, floors: floors(text, &atoms) }
    }

    fn floor_at(&self, position: usize) -> usize {
        let index = self.floors.partition_point(|&(at, _)| at <= position);
        index.checked_sub(1).and_then(|i| self.floors.get(i)).map_or(0, |&(_, floor)| floor)
    }

    /// False when `text[start..end]` is certainly longer than `limit`.
    fn may_fit(&self, start: usize, end: usize, limit: usize) -> bool {
        self.floor_at(end).saturating_sub(self.floor_at(start)) <= limit
    }

    /// The furthest cut after `start` at the coarsest level that leaves a fitting part; if not
    /// even one grapheme or entity fits, the smallest unit, so that packing always advances.
    fn best_end(&self, text: &str, start: usize, limit: usize, fits: &impl Fn(&str) -> bool) -> usize {
        for level in &self.levels {
            let after = &level[level.partition_point(|&position| position <= start)..];
            let plausible = &after[..after.partition_point(|&end| self.may_fit(start, end, limit))];
            // Longer prefixes never count less (cuts inside entities and clusters are excluded),
            // so the fitting candidates form a prefix of `plausible`.
            let fitting = plausible.partition_point(|&end| fits(text[start..end].trim_end()));
            if fitting > 0 {
                return plausible[fitting - 1];
            }
        }
        let graphemes = &self.levels[3];
        graphemes.get(graphemes.partition_point(|&position| position <= start)).copied().unwrap_or(text.len())
    }
}

/// Cumulative floors (see [`Breaks::floors`]) at every grapheme boundary and at the end.
fn floors(text: &str, atoms: &[entities::Entity]) -> Vec<(usize, usize)> {
    let mut floors = Vec::new();
    let mut total = 0;
    for (position, _) in text.grapheme_indices(true) {
        floors.push((position, total));
        let inside_short =
            entities::straddling(atoms, position).is_some_and(|atom| matches!(atom.kind, EntityKind::Url | EntityKind::Mention));
        if !inside_short {
            total += 1;
        }
    }
    floors.push((text.len(), total));
    floors
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
