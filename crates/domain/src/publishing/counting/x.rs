//! X's weighted length, twitter-text config v3
//! (https://docs.x.com/fundamentals/counting-characters and twitter-text's `config/v3.json`):
//! NFC-normalise; every URL weighs 23 (t.co); every emoji sequence weighs 2; any other code
//! point weighs 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F or U+2032–U+2037, else 2.
//! Written out rather than taken from the `twitter-text` crate: its default parser panics on
//! text such as "café@bob" and its other parsers take quadratic time on text without spaces
//! (6 s for 4,000 CJK characters in a debug build).

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::publishing::entities::{self, EntityKind, Urls};

/// What t.co makes of any URL.
const URL_WEIGHT: usize = 23;
const EMOJI_WEIGHT: usize = 2;
const DEFAULT_WEIGHT: usize = 2;
/// Inclusive code point ranges that weigh 1.
const LIGHT: [(u32, u32); 4] = [(0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037)];

/// Weighted length in X's unit (the one its 280 limit is expressed in).
pub(super) fn weighted_length(text: &str) -> usize {
    let text: String = text.nfc().collect();
    let mut total = 0;
    let mut rest = 0;
    for url in entities::find(&text, Urls::WithOrWithoutScheme).into_iter().filter(|e| e.kind == EntityKind::Url) {
        total += plain_weight(&text[rest..url.start]) + URL_WEIGHT;
        rest = url.end;
    }
    total + plain_weight(&text[rest..])
}

fn plain_weight(text: &str) -> usize {
    text.graphemes(true)
        .map(|grapheme| if super::emoji::is_emoji(grapheme) { EMOJI_WEIGHT } else { grapheme.chars().map(char_weight).sum() })
        .sum()
}

fn char_weight(c: char) -> usize {
    let code = u32::from(c);
    if LIGHT.iter().any(|&(start, end)| (start..=end).contains(&code)) { 1 } else { DEFAULT_WEIGHT }
}
