//! What Facebook Pages, Instagram and Threads share: Meta's Graph API error object and how it
//! maps to [`PublishError`](crate::PublishError) ([`error`]), a small Graph client with the
//! version in every path ([`graph`]), Facebook Login for the Page-based networks ([`login`])
//! and the bounded polling of media containers ([`poll`]).

pub mod conversations;
pub mod error;
pub mod graph;
pub mod insights;
pub mod login;
pub mod poll;
pub mod quota;

/// The Graph API version used when settings do not name one (`urls.graph_version`): the newest
/// version listed in Meta's changelog when this adapter was written
/// (<https://developers.facebook.com/docs/graph-api/changelog/versions/>).
pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";

/// The Threads API version (<https://developers.facebook.com/docs/threads/overview/>).
pub const DEFAULT_THREADS_VERSION: &str = "v1.0";

/// Whether a post read back from Meta is the attempt's: Meta has no idempotency key, so it is
/// the text `sent` (as the adapter rendered it from the request; Meta trims it), made since the
/// attempt began.
pub fn is_attempts_post(
    lookup: &crate::Lookup<'_>,
    sent: &str,
    text: Option<&str>,
    created: Option<zenalto_domain::Timestamp>,
) -> bool {
    text.map(str::trim) == Some(sent.trim()) && lookup.in_window(created)
}

/// Graph timestamps look like `2017-08-31T18:10:30+0000` (no colon in the offset), which RFC
/// 3339 parsers refuse.
pub fn parse_time(raw: &str) -> Option<zenalto_domain::Timestamp> {
    if let Some(at) = zenalto_domain::Timestamp::parse_rfc3339(raw) {
        return Some(at);
    }
    let (head, offset) = raw.split_at(raw.len().checked_sub(5)?);
    if (offset.starts_with('+') || offset.starts_with('-'))
        && offset[1..].chars().all(|c| c.is_ascii_digit())
    {
        return zenalto_domain::Timestamp::parse_rfc3339(&format!(
            "{head}{}:{}",
            &offset[..3],
            &offset[3..]
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_timestamps_parse() {
        let at = parse_time("2017-08-31T18:10:30+0000");
        assert_eq!(
            at,
            zenalto_domain::Timestamp::parse_rfc3339("2017-08-31T18:10:30Z")
        );
        assert!(parse_time("yesterday").is_none());
    }
}
