//! Mastodon's status length, as its server enforces it in `StatusLengthValidator`
//! (https://github.com/mastodon/mastodon/blob/main/app/validators/status_length_validator.rb):
//! URLs with a scheme become `characters_reserved_per_url` placeholder characters, remote
//! mentions `@user@domain` become `@user`, and the result is counted in grapheme clusters.

use unicode_segmentation::UnicodeSegmentation;

use crate::publishing::entities::{self, EntityKind, Urls};

pub(super) fn length(text: &str, chars_per_url: usize) -> usize {
    countable_text(text, chars_per_url).graphemes(true).count()
}

/// The text rewritten the way the server rewrites it before counting.
fn countable_text(text: &str, chars_per_url: usize) -> String {
    let mut countable = String::with_capacity(text.len());
    let mut rest = 0;
    for entity in entities::find(text, Urls::WithSchemeOnly) {
        let original = &text[entity.start..entity.end];
        let replacement = match entity.kind {
            EntityKind::Url => "x".repeat(chars_per_url),
            // Skip the leading sigil, then cut at the second one: "@user@domain" → "@user".
            EntityKind::Mention => match original.char_indices().skip(1).find(|&(_, c)| c == '@' || c == '＠') {
                Some((second_at, _)) => original[..second_at].to_owned(),
                None => continue,
            },
            EntityKind::Hashtag => continue,
        };
        countable.push_str(&text[rest..entity.start]);
        countable.push_str(&replacement);
        rest = entity.end;
    }
    countable.push_str(&text[rest..]);
    countable
}
