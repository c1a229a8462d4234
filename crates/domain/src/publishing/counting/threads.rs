//! Threads counts "emojis as the number of UTF-8 bytes" and everything else as characters
//! (https://developers.facebook.com/documentation/threads/posts, Limitations). A thumbs-up is
//! therefore 4 of the 500, a family emoji 25.

use unicode_segmentation::UnicodeSegmentation;

pub(super) fn length(text: &str) -> usize {
    text.graphemes(true).map(|grapheme| if super::emoji::is_emoji(grapheme) { grapheme.len() } else { grapheme.chars().count() }).sum()
}
