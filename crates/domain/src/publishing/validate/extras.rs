//! Checks on the fields beside the text: title, attached link and first comment.

use super::text::{forbidden_chars, length};
use crate::publishing::draft::Draft;
use crate::publishing::report::{Report, Severity, codes};
use crate::publishing::rules::NetworkRules;

pub(super) fn check(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    title(rules, draft, report);
    link(rules, draft, report);
    first_comment(rules, draft, report);
}

fn non_blank(field: Option<&String>) -> Option<&str> {
    field.map(|value| value.as_str()).filter(|value| !value.trim().is_empty())
}

fn title(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    let label = rules.network.label();
    let title = non_blank(draft.title.as_ref());
    match (&rules.title, title) {
        (None, Some(_)) => report.push(
            Severity::Warning,
            codes::TITLE_NOT_SUPPORTED,
            "title",
            format!("{label} posts have no title; it will not be published."),
        ),
        (Some(title_rules), None) => {
            if let Some(required) = &title_rules.required
                && required.value
            {
                report.push(required.severity(), codes::TITLE_REQUIRED, "title", format!("{label} needs a title.{}", required.hedge()));
            }
        }
        (Some(title_rules), Some(title)) => {
            length(rules, &title_rules.text, title, "title", codes::TITLE_TOO_LONG, report);
            forbidden_chars(label, &title_rules.text, title, "title", codes::TITLE_INVALID_CHARACTERS, report);
        }
        (None, None) => {}
    }
}

fn link(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    let Some(link) = non_blank(draft.link.as_ref()) else { return };
    let label = rules.network.label();
    if !is_web_address(link.trim()) {
        report.push(
            Severity::Error,
            codes::LINK_INVALID,
            "link",
            "The link must be a full web address starting with https:// (or http://).".to_owned(),
        );
    }
    if !rules.supports_link_attachment {
        report.push(
            Severity::Warning,
            codes::LINK_NOT_SUPPORTED,
            "link",
            format!("{label} has no separate link field, so the link will not be published; put it in the text instead."),
        );
    }
}

/// `http(s)://host…` with a dotted or bracketed host and no whitespace. Deliberately loose:
/// whether the page exists is for the network's crawler to find out.
fn is_web_address(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    !link.chars().any(char::is_whitespace)
        && !host.is_empty()
        && (host.contains('.') || host.starts_with('[') || host.starts_with("localhost"))
        && !host.starts_with('.')
}

fn first_comment(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    let Some(comment) = non_blank(draft.first_comment.as_ref()) else { return };
    match &rules.first_comment {
        None => report.push(
            Severity::Warning,
            codes::FIRST_COMMENT_NOT_SUPPORTED,
            "first_comment",
            format!("{} cannot post a first comment; it will be skipped.", rules.network.label()),
        ),
        Some(comment_rules) => {
            length(rules, comment_rules, comment, "first_comment", codes::FIRST_COMMENT_TOO_LONG, report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_need_a_scheme_and_a_host() {
        let cases = [
            ("https://zenalto.app", true),
            ("http://example.com/path?q=1#x", true),
            ("HTTPS://EXAMPLE.COM", true),
            ("https://user@example.com/", true),
            ("https://[::1]:8080/", true),
            ("zenalto.app", false),
            ("ftp://example.com", false),
            ("https://", false),
            ("https://nodot", false),
            ("https://exa mple.com", false),
            ("javascript:alert(1)", false),
        ];
        for (link, ok) in cases {
            assert_eq!(is_web_address(link), ok, "{link}");
        }
    }
}
