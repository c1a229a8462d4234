//! `commentary` is in LinkedIn's "little text" format: its reserved characters are escaped with
//! a backslash, and a hashtag is written as the `{hashtag|\#|word}` template so it stays one.
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format>

const RESERVED: &[char] = &['\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~'];

pub fn little_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '#' {
            let after_boundary = text[..at].chars().next_back().is_none_or(|p| !p.is_alphanumeric());
            let word: String = text[at + 1..].chars().take_while(|w| w.is_alphanumeric()).collect();
            if after_boundary && !word.is_empty() {
                out.push_str(&format!("{{hashtag|\\#|{word}}}"));
                for _ in word.chars() {
                    chars.next();
                }
                continue;
            }
        }
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_escaped_and_hashtags_kept() {
        assert_eq!(little_text("Hi (all) #launch_day!"), "Hi \\(all\\) {hashtag|\\#|launch}\\_day!");
        assert_eq!(little_text("a#b and # alone"), "a\\#b and \\# alone");
        assert_eq!(little_text("plain text"), "plain text");
    }
}
