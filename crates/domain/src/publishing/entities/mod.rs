//! Finds URLs, @mentions and #hashtags in a text, in one linear pass. Counting rules rewrite
//! them (X and Mastodon bill a URL at 23), the validator counts them, and the thread splitter
//! never cuts through one. The rules follow twitter-text's extractor, which Mastodon inherited,
//! simplified where its full grammar buys little: see `url.rs` for what is left out.

mod tld;
mod url;

use unicode_segmentation::UnicodeSegmentation;

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntityKind {
    Url,
    /// `@user`, or a remote `@user@domain` (Mastodon).
    Mention,
    Hashtag,
}

/// An entity as a byte range of the text it was found in, sigil included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entity {
    pub kind: EntityKind,
    pub start: usize,
    pub end: usize,
}

/// Which strings count as URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Urls {
    /// Also bare domains with a known TLD (`zenalto.app`), as X and Threads link them.
    WithOrWithoutScheme,
    /// Only `http(s)://…`, as Mastodon's length rule counts them.
    WithSchemeOnly,
}

/// All entities in `text`, in order and without overlaps.
pub(crate) fn find(text: &str, urls: Urls) -> Vec<Entity> {
    let mut found = Vec::new();
    let mut prev: Option<char> = None;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        let matched = match c {
            '@' | '＠' if boundary_before_mention(prev) => mention(rest).map(|len| (EntityKind::Mention, len)),
            '#' | '＃' if boundary_before_hashtag(prev) => hashtag(rest).map(|len| (EntityKind::Hashtag, len)),
            c if c.is_ascii_alphanumeric() && url::boundary_before(prev) => url::with_scheme(rest)
                .or_else(|| (urls == Urls::WithOrWithoutScheme).then(|| url::without_scheme(rest)).flatten())
                .map(|len| (EntityKind::Url, len)),
            _ => None,
        };
        match matched {
            Some((kind, len)) => {
                found.push(Entity { kind, start: at, end: at + len });
                prev = text[..at + len].chars().next_back();
                at += len;
            }
            None => {
                prev = Some(c);
                at += c.len_utf8();
            }
        }
    }
    found
}

/// The entities of one kind, as string slices.
pub(crate) fn of_kind(text: &str, urls: Urls, kind: EntityKind) -> Vec<&str> {
    find(text, urls).into_iter().filter(|entity| entity.kind == kind).map(|entity| &text[entity.start..entity.end]).collect()
}

/// The entity of `entities` (sorted, disjoint, as [`find`] returns them) that `position` falls
/// strictly inside, if any.
pub(crate) fn straddling(entities: &[Entity], position: usize) -> Option<&Entity> {
    let candidate = entities.get(entities.partition_point(|entity| entity.end <= position))?;
    (candidate.start < position).then_some(candidate)
}

/// A sigil starts an entity only after a non-word character ("bob@example.com" is no mention).
fn boundary_before_mention(prev: Option<char>) -> bool {
    prev.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '@' | '＠' | '!' | '#' | '$' | '%' | '&' | '*')))
}

fn boundary_before_hashtag(prev: Option<char>) -> bool {
    prev.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '&' | '#' | '＃')))
}

/// `@user` (letters, digits, `_`; inner `.`/`-` allowed as on Mastodon) optionally followed by
/// `@domain.tld`. Returns the byte length matched.
fn mention(rest: &str) -> Option<usize> {
    let sigil = rest.chars().next()?.len_utf8();
    let user = word_len(&rest[sigil..], |c| c.is_ascii_alphanumeric() || c == '_', |c| matches!(c, '.' | '-'));
    if user == 0 {
        return None;
    }
    let after_user = sigil + user;
    let remote = rest[after_user..]
        .strip_prefix('@')
        .map(|domain| word_len(domain, |c| c.is_ascii_alphanumeric(), |c| matches!(c, '.' | '-')))
        .filter(|&len| len > 0 && rest[after_user + 1..after_user + 1 + len].contains('.'));
    Some(match remote {
        Some(domain) => after_user + 1 + domain,
        None => after_user,
    })
}

/// `#` then letters, digits, `_` and their combining marks, with at least one non-digit.
fn hashtag(rest: &str) -> Option<usize> {
    let sigil = rest.chars().next()?.len_utf8();
    let mut len = 0;
    let mut has_letter = false;
    for grapheme in rest[sigil..].graphemes(true) {
        let Some(first) = grapheme.chars().next() else { break };
        // A keycap "#️⃣" or an emoji is no hashtag body; letters with combining marks are.
        if !(first.is_alphanumeric() || first == '_') || grapheme.contains(['\u{FE0F}', '\u{20E3}']) {
            break;
        }
        has_letter |= !first.is_numeric();
        len += grapheme.len();
    }
    (len > 0 && has_letter).then_some(sigil + len)
}

/// Length of a run of `word` characters that may contain single `inner` characters between
/// them (never at the ends).
fn word_len(text: &str, word: impl Fn(char) -> bool, inner: impl Fn(char) -> bool) -> usize {
    let mut end = 0;
    let mut pending = 0;
    for (at, c) in text.char_indices() {
        if word(c) {
            end = at + c.len_utf8();
            pending = 0;
        } else if inner(c) && end > 0 && pending == 0 {
            pending = 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests;
