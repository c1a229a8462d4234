//! URL detection. Like twitter-text: `http(s)://` URLs with a dotted host, and bare domains
//! (`zenalto.app/pricing`) whose top-level domain is a real one, so "e.g." or "node.js" are not
//! links. Simplified: hosts are ASCII or punycode (no raw IDN), and the gTLD list holds the
//! common ones only (every ccTLD is there); a rarer gTLD without a scheme counts as text.

use super::tld;

/// URLs start after a non-word character, as in twitter-text ("x.com" inside "@x.com" or
/// "ab.cd.example.com" mid-word are not new URLs).
pub(super) fn boundary_before(prev: Option<char>) -> bool {
    prev.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '@' | '＠' | '$' | '#' | '＃' | '.' | '-' | '_' | '/' | '\\')))
}

/// `http://` or `https://`, a dotted host, then an optional port and path. Returns the length.
pub(super) fn with_scheme(rest: &str) -> Option<usize> {
    let scheme =
        ["https://", "http://"].into_iter().find(|scheme| rest.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)))?.len();
    let host = host_len(&rest[scheme..]);
    let host_text = &rest[scheme..scheme + host];
    let last_label = host_text.rsplit('.').next().unwrap_or_default();
    let alphabetic_tld = last_label.len() >= 2 && last_label.chars().all(|c| c.is_ascii_alphabetic());
    let valid = host_text.contains('.') && (alphabetic_tld || last_label.starts_with("xn--") || is_ipv4(host_text));
    valid.then(|| scheme + host + tail_len(&rest[scheme + host..]))
}

/// A bare domain with a known TLD, then an optional port and path. Returns the length.
pub(super) fn without_scheme(rest: &str) -> Option<usize> {
    let host = host_len(rest);
    let host_text = &rest[..host];
    let mut labels = host_text.split('.');
    let last = labels.next_back()?;
    let known = host_text.contains('.') && tld::is_known(last);
    // "bob@example.com" is an e-mail address; twitter-text does not link it either.
    let followed_by_at = rest[host..].starts_with(['@', '＠']);
    (known && !followed_by_at).then(|| host + tail_len(&rest[host..]))
}

/// Labels of letters, digits and inner hyphens, separated by single dots.
fn host_len(text: &str) -> usize {
    let mut end = 0;
    let mut label_start = 0;
    for (at, c) in text.char_indices() {
        match c {
            c if c.is_ascii_alphanumeric() => end = at + 1,
            '-' if at > label_start => {}
            '.' if end == at && at > label_start => label_start = at + 1,
            _ => break,
        }
    }
    end
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|part| !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit()))
}

/// Port, path, query and fragment: everything up to whitespace or a character URLs do not
/// carry, minus trailing punctuation that belongs to the sentence ("see x.com/a." ends at "a").
fn tail_len(rest: &str) -> usize {
    if !rest.starts_with([':', '/', '?', '#']) {
        return 0;
    }
    let mut end = 0;
    for (at, c) in rest.char_indices() {
        let carried = c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^') || c.is_alphanumeric();
        if !carried {
            break;
        }
        end = at + c.len_utf8();
    }
    let mut tail = &rest[..end];
    loop {
        let trimmed = match tail.chars().next_back() {
            Some('.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*') => &tail[..tail.len() - 1],
            Some(')') if tail.matches('(').count() < tail.matches(')').count() => &tail[..tail.len() - 1],
            Some(']') if tail.matches('[').count() < tail.matches(']').count() => &tail[..tail.len() - 1],
            _ => break,
        };
        tail = trimmed;
    }
    tail.len()
}
