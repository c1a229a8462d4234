//! Text length the way each network measures it. A post that "looks" 270 characters long can be
//! 312 on X (CJK and emoji weigh 2) or 3,100 bytes on Bluesky, so the composer and the validator
//! must use the network's own unit, never `str::len` or `chars().count()` alone.

mod emoji;
mod mastodon;
mod threads;
mod x;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::network::Network;
use super::rules::{NetworkRules, TextRules};

/// A counting unit. Each network's table names the unit its documentation describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum Counting {
    /// twitter-text v3 weighted length: NFC first; U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F
    /// and U+2032–U+2037 weigh 1, everything else 2; any emoji sequence weighs 2; every URL
    /// weighs 23 (t.co) however long it is.
    XWeighted,
    /// Extended grapheme clusters: a flag or a ZWJ family emoji is one.
    Graphemes,
    /// Mastodon: graphemes, after each `http(s)://` URL is replaced by `chars_per_url`
    /// characters and each `@user@domain` mention by `@user`.
    Mastodon { chars_per_url: usize },
    /// Unicode scalar values (code points).
    CodePoints,
    /// UTF-16 code units (what JavaScript's `length` reports): astral characters count 2.
    Utf16Units,
    /// UTF-8 bytes.
    Utf8Bytes,
    /// Threads: code points, except that an emoji counts as its UTF-8 length in bytes.
    ThreadsEmojiBytes,
}

impl Counting {
    /// Measures `text` in this unit.
    pub fn measure(self, text: &str) -> usize {
        match self {
            Counting::XWeighted => x::weighted_length(text),
            Counting::Graphemes => text.graphemes(true).count(),
            Counting::Mastodon { chars_per_url } => mastodon::length(text, chars_per_url),
            Counting::CodePoints => text.chars().count(),
            Counting::Utf16Units => text.encode_utf16().count(),
            Counting::Utf8Bytes => text.len(),
            Counting::ThreadsEmojiBytes => threads::length(text),
        }
    }

    /// The unit's name in user-facing messages.
    pub fn unit(self) -> &'static str {
        match self {
            Counting::Utf8Bytes => "bytes",
            _ => "characters",
        }
    }
}

/// A measured text against its limit, in the network's own unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextLength {
    pub used: usize,
    pub limit: usize,
}

impl TextLength {
    pub fn fits(self) -> bool {
        self.used <= self.limit
    }

    /// How much must be cut; 0 when it fits.
    pub fn over_by(self) -> usize {
        self.used.saturating_sub(self.limit)
    }

    /// How much is left; 0 when over.
    pub fn remaining(self) -> usize {
        self.limit.saturating_sub(self.used)
    }
}

/// Measures `text` as `network` counts a post, against that network's default limit.
/// For a Mastodon server's own limit use [`count_with`] and
/// [`NetworkRules::for_mastodon_instance`].
pub fn count(network: Network, text: &str) -> TextLength {
    count_with(&NetworkRules::for_network(network).text, text)
}

/// Measures `text` against explicit rules.
pub fn count_with(rules: &TextRules, text: &str) -> TextLength {
    TextLength { used: rules.counting.measure(text), limit: rules.max.value }
}

impl TextRules {
    /// Whether `text` fits every length cap of these rules (characters and, where set, bytes).
    pub fn fits(&self, text: &str) -> bool {
        count_with(self, text).fits() && self.max_utf8_bytes.as_ref().is_none_or(|max| text.len() <= max.value)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
