//! How a post read back from X (or LinkedIn) is recognised as the one sent, for networks that
//! have no idempotency key of their own: `find_published` compares the text of the request it
//! is handed with the account's recent posts, so any process can verify, not only the one that
//! made the attempt.

/// Whether a post's text as the network returns it is the text we sent: links come back
/// shortened (t.co) and `&`, `<`, `>` as HTML entities, so links are compared as placeholders.
pub fn same_text(sent: &str, found: &str) -> bool {
    normalise(sent) == normalise(&found.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
}

fn normalise(text: &str) -> Vec<&str> {
    text.split_whitespace().map(|word| if word.starts_with("http://") || word.starts_with("https://") { "<link>" } else { word }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_entities_do_not_hide_the_same_text() {
        assert!(same_text("Hello & welcome https://example.com/a", "Hello &amp; welcome https://t.co/xyz"));
        assert!(!same_text("Hello", "Hello again"));
    }
}
