//! Whether a grapheme cluster is an emoji, by the Unicode emoji list.

/// True for anything the list holds, with or without its presentation selector (U+FE0F), so
/// "❤", "❤️", "👍🏽", flags, keycaps and ZWJ sequences all count; plain digits and "#" do not.
pub(super) fn is_emoji(grapheme: &str) -> bool {
    let mut chars = grapheme.chars();
    if chars.next().is_some_and(|c| c.is_ascii()) && chars.next().is_none() {
        return false;
    }
    emojis::get(grapheme).is_some() || (grapheme.contains('\u{FE0F}') && emojis::get(&grapheme.replace('\u{FE0F}', "")).is_some())
}
