//! Rich text: Bluesky does not detect links, mentions or hashtags in a post's text; the client
//! sends them as facets with UTF-8 byte offsets
//! (<https://docs.bsky.app/docs/advanced-guides/post-richtext>). This finds them; mentions still
//! need their handle resolved to a DID before they become a facet.

use serde_json::{Value, json};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feature {
    Link(String),
    /// A handle, without the `@`.
    Mention(String),
    /// A tag, without the `#`.
    Tag(String),
}

/// A feature and its byte range in the text (`start..end`, UTF-8 bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub feature: Feature,
}

const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', ')', '"', '\'', ']', '}'];

/// The links, mentions and hashtags of `text`, in order.
pub fn detect(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let starts_word = at == 0
            || text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || c == '(');
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        if starts_word
            && let Some(span) = link(word, at)
                .or_else(|| mention(word, at))
                .or_else(|| tag(word, at))
        {
            at = span.end;
            spans.push(span);
            continue;
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    spans
}

fn link(word: &str, offset: usize) -> Option<Span> {
    if !(word.starts_with("https://") || word.starts_with("http://")) {
        return None;
    }
    let uri = word.trim_end_matches(TRAILING);
    (uri.len() > "https://".len() && url::Url::parse(uri).is_ok()).then(|| Span {
        start: offset,
        end: offset + uri.len(),
        feature: Feature::Link(uri.to_owned()),
    })
}

fn mention(word: &str, offset: usize) -> Option<Span> {
    let handle = word.strip_prefix('@')?.trim_end_matches(TRAILING);
    let valid = handle.contains('.')
        && !handle.starts_with('.')
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then(|| Span {
        start: offset,
        end: offset + 1 + handle.len(),
        feature: Feature::Mention(handle.to_ascii_lowercase()),
    })
}

fn tag(word: &str, offset: usize) -> Option<Span> {
    let tag = word.strip_prefix('#')?.trim_end_matches(TRAILING);
    let valid = !tag.is_empty()
        && tag.chars().count() <= 64
        && !tag.chars().all(|c| c.is_ascii_digit())
        && !tag.contains('#');
    valid.then(|| Span {
        start: offset,
        end: offset + 1 + tag.len(),
        feature: Feature::Tag(tag.to_owned()),
    })
}

/// The `app.bsky.richtext.facet` for a span (a mention with its resolved DID).
pub fn to_json(span: &Span, mention_did: Option<&str>) -> Option<Value> {
    let feature = match &span.feature {
        Feature::Link(uri) => json!({ "$type": "app.bsky.richtext.facet#link", "uri": uri }),
        Feature::Tag(tag) => json!({ "$type": "app.bsky.richtext.facet#tag", "tag": tag }),
        Feature::Mention(_) => {
            json!({ "$type": "app.bsky.richtext.facet#mention", "did": mention_did? })
        }
    };
    Some(
        json!({ "index": { "byteStart": span.start, "byteEnd": span.end }, "features": [feature] }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_utf8_bytes() {
        let text = "héllo ✨ https://example.com/a?b=1. #rust @alice.test!";
        let spans = detect(text);
        assert_eq!(spans.len(), 3, "{spans:?}");
        assert_eq!(
            &text[spans[0].start..spans[0].end],
            "https://example.com/a?b=1"
        );
        assert_eq!(spans[0].start, "héllo ✨ ".len());
        assert_eq!(&text[spans[1].start..spans[1].end], "#rust");
        assert_eq!(spans[1].feature, Feature::Tag("rust".into()));
        assert_eq!(&text[spans[2].start..spans[2].end], "@alice.test");
        assert_eq!(spans[2].feature, Feature::Mention("alice.test".into()));
    }

    #[test]
    fn lookalikes_are_not_facets() {
        assert!(
            detect("mail me at a@b.c, issue #12, ftp://x, email@example.com, (#) @nodot")
                .is_empty()
        );
    }
}
