//! Checks on the post text: length in the network's unit, byte cap, refused characters,
//! hashtags, mentions and links.

use super::format::plural;
use crate::publishing::counting::count_with;
use crate::publishing::draft::Draft;
use crate::publishing::entities::{self, EntityKind, Urls};
use crate::publishing::fact::Fact;
use crate::publishing::report::{Report, Severity, codes};
use crate::publishing::rules::{NetworkRules, TextRules};
use crate::publishing::thread::{Numbering, split_into_thread_with};

pub(super) fn check(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    let label = rules.network.label();
    let text = draft.text.as_str();
    if text.trim().is_empty() && draft.media.is_empty() {
        report.push(Severity::Error, codes::POST_EMPTY, "text", format!("A {label} post needs text or media."));
        return;
    }
    length(rules, &rules.text, text, "text", codes::TEXT_TOO_LONG, report);
    if rules.supports_threads && !rules.text.fits(text) {
        suggest_thread(rules, text, report);
    }
    forbidden_chars(label, &rules.text, text, "text", codes::TEXT_INVALID_CHARACTERS, report);
    entities(rules, draft, report);
}

/// Reports a text over its caps.
pub(super) fn length(rules: &NetworkRules, text_rules: &TextRules, text: &str, field: &str, code: &'static str, report: &mut Report) {
    let label = rules.network.label();
    let length = count_with(text_rules, text);
    let max = &text_rules.max;
    let field_name = field.replace('_', " ");
    if !length.fits() {
        let what = if field == "text" { String::new() } else { format!(" in the {field_name}") };
        let unit = text_rules.counting.unit();
        report.push(
            max.severity(),
            code,
            field,
            format!("{label} counts {} of {} {unit}{what}; remove {}.{}", length.used, length.limit, length.over_by(), max.hedge()),
        );
    }
    if let Some(max_bytes) = &text_rules.max_utf8_bytes
        && text.len() > max_bytes.value
    {
        report.push(
            max_bytes.severity(),
            codes::TEXT_TOO_MANY_BYTES,
            field,
            format!(
                "{label} also limits the {field_name} to {} bytes and this one takes {} (emoji and non-Latin letters take several bytes each); shorten it.{}",
                max_bytes.value,
                text.len(),
                max_bytes.hedge()
            ),
        );
    }
}

pub(super) fn forbidden_chars(label: &str, text_rules: &TextRules, text: &str, field: &str, code: &'static str, report: &mut Report) {
    let Some(forbidden) = &text_rules.forbidden_chars else { return };
    let mut found: Vec<char> = text.chars().filter(|c| forbidden.value.contains(c)).collect();
    found.sort_unstable();
    found.dedup();
    if found.is_empty() {
        return;
    }
    let shown: Vec<String> = found.iter().map(|&c| describe(c)).collect();
    report.push(
        forbidden.severity(),
        code,
        field,
        format!(
            "{label} does not accept {} in the {}; remove {}.{}",
            shown.join(" or "),
            field.replace('_', " "),
            if found.len() == 1 { "it" } else { "them" },
            forbidden.hedge()
        ),
    );
}

/// A character as people can recognise it: printable ones quoted, invisible ones by code point.
fn describe(c: char) -> String {
    let invisible = c.is_control() || c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}');
    if invisible { format!("the invisible character U+{:04X}", u32::from(c)) } else { format!("\"{c}\"") }
}

fn suggest_thread(rules: &NetworkRules, text: &str, report: &mut Report) {
    if let Some(parts) = split_into_thread_with(rules, text, Numbering::Suffix)
        && parts.len() > 1
    {
        report.push(
            Severity::Suggestion,
            codes::SPLIT_INTO_THREAD,
            "text",
            format!("Publish it as a thread of {} on {}.", plural(parts.len(), "post"), rules.network.label()),
        );
    }
}

fn entities(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    let label = rules.network.label();
    let text = draft.text.as_str();
    let found = entities::find(text, Urls::WithOrWithoutScheme);
    let count = |kind| found.iter().filter(|entity| entity.kind == kind).count();
    let (hashtags, mentions) = (count(EntityKind::Hashtag), count(EntityKind::Mention));

    let mut over = |cap: &Option<Fact<usize>>, n: usize, code, noun: &str| {
        if let Some(cap) = cap
            && n > cap.value
        {
            report.push(
                cap.severity(),
                code,
                "text",
                format!("{label} allows at most {} per post; this one has {n}.{}", plural(cap.value, noun), cap.hedge()),
            );
        }
    };
    over(&rules.max_hashtags, hashtags, codes::TOO_MANY_HASHTAGS, "hashtag");
    over(&rules.max_mentions, mentions, codes::TOO_MANY_MENTIONS, "@mention");
    over(&rules.max_links, distinct_links(text, draft.link.as_deref()), codes::TOO_MANY_LINKS, "link");

    if let Some(recommended) = &rules.recommended_max_hashtags
        && hashtags > recommended.value
    {
        report.push(
            Severity::Warning,
            codes::HASHTAGS_ABOVE_RECOMMENDED,
            "text",
            format!(
                "{label} recommends at most {} per post; this one has {hashtags}, which can look like spam.",
                plural(recommended.value, "hashtag")
            ),
        );
    }
    if !rules.links_clickable_in_text && count(EntityKind::Url) > 0 {
        report.push(
            Severity::Warning,
            codes::LINKS_NOT_CLICKABLE,
            "text",
            format!("Links in {label} posts are not clickable; people would have to copy them by hand."),
        );
    }
    if rules.suggest_hashtags && hashtags == 0 && !text.trim().is_empty() {
        report.push(
            Severity::Suggestion,
            codes::ADD_HASHTAG,
            "text",
            format!("People find {label} posts through hashtags; consider adding one or two."),
        );
    }
}

/// Distinct URLs in the text, plus the attached link when it is not one of them (the way Threads
/// counts its five).
fn distinct_links(text: &str, attached: Option<&str>) -> usize {
    let mut links = entities::of_kind(text, Urls::WithOrWithoutScheme, EntityKind::Url);
    links.extend(attached.map(str::trim).filter(|link| !link.is_empty()));
    links.sort_unstable();
    links.dedup();
    links.len()
}
