//! Checks on attachments: presence, count, kind, type, size, duration, dimensions, aspect ratio
//! and alternative text.

use super::format::{bytes, duration, plural};
use crate::publishing::draft::Draft;
use crate::publishing::fact::Fact;
use crate::publishing::media::{MediaFacts, MediaKind};
use crate::publishing::report::{Report, Severity, codes};
use crate::publishing::rules::{KindRules, NetworkRules};

pub(super) fn check(rules: &NetworkRules, draft: &Draft, report: &mut Report) {
    let label = rules.network.label();
    let media = &draft.media;
    if media.is_empty() {
        if rules.media_required {
            let kinds: Vec<&str> = rules.media.kinds.iter().map(|k| k.kind.noun()).collect();
            report.push(Severity::Error, codes::MEDIA_REQUIRED, "media", format!("{label} posts need at least one {}.", or_list(&kinds)));
        }
        return;
    }
    if let Some(max) = &rules.media.max_items
        && media.len() > max.value
    {
        report.push(
            max.severity(),
            codes::TOO_MANY_MEDIA,
            "media",
            format!("{label} allows at most {} per post; this one has {}.{}", plural(max.value, "attachment"), media.len(), max.hedge()),
        );
    }
    for kind in &rules.media.kinds {
        let n = media.iter().filter(|item| item.kind == kind.kind).count();
        if let Some(max) = &kind.max_count
            && n > max.value
            && rules.media.max_items.as_ref().is_none_or(|all| max.value < all.value)
        {
            report.push(
                max.severity(),
                codes::TOO_MANY_MEDIA,
                "media",
                format!("{label} allows at most {} per post; this one has {n}.{}", plural(max.value, kind.kind.noun()), max.hedge()),
            );
        }
    }
    for (index, item) in media.iter().enumerate() {
        let field = format!("media[{index}]");
        match rules.media.kind(item.kind) {
            None => report.push(
                Severity::Error,
                codes::MEDIA_KIND_NOT_ALLOWED,
                field,
                format!("{label} does not accept {}s.", item.kind.noun()),
            ),
            Some(kind) => {
                ItemCheck { label, kind, item, field, report: &mut *report }.run(media.len());
                alt_text(rules, item, index, report);
            }
        }
    }
}

/// The checks on one attachment against the rules of its kind.
struct ItemCheck<'a> {
    label: &'static str,
    kind: &'a KindRules,
    item: &'a MediaFacts,
    field: String,
    report: &'a mut Report,
}

impl ItemCheck<'_> {
    fn run(mut self, attachments: usize) {
        let (label, noun, item) = (self.label, self.item.kind.noun(), self.item);
        if let Some(alone) = &self.kind.alone
            && alone.value
            && attachments > 1
        {
            let message = format!("On {label} a {noun} must be the only attachment; this post has {attachments}.{}", alone.hedge());
            self.push(alone, codes::MEDIA_MUST_BE_ALONE, message);
        }
        if let Some(allowed) = &self.kind.mime_types
            && !item.mime_matches(&allowed.value)
        {
            let message = format!("{label} accepts {} {noun}s, not {}.{}", allowed.value.join(", "), item.mime, allowed.hedge());
            self.push(allowed, codes::MEDIA_TYPE_NOT_ALLOWED, message);
        }
        if let Some(max) = &self.kind.max_bytes
            && item.bytes > max.value
        {
            let code = match item.kind {
                MediaKind::Image => codes::IMAGE_TOO_LARGE,
                MediaKind::Gif => codes::GIF_TOO_LARGE,
                MediaKind::Video => codes::VIDEO_TOO_LARGE,
            };
            let message =
                format!("This {noun} is {}; {label} accepts {noun}s up to {}.{}", bytes(item.bytes), bytes(max.value), max.hedge());
            self.push(max, code, message);
        }
        self.duration();
        self.dimensions();
    }

    fn duration(&mut self) {
        let (Some(bounds), Some(ms)) = (&self.kind.duration_ms, self.item.duration_ms) else { return };
        let (label, noun) = (self.label, self.item.kind.noun());
        if let Some(min) = bounds.value.min
            && ms < min
        {
            let message = format!("This {noun} lasts {}; {label} needs at least {}.{}", duration(ms), duration(min), bounds.hedge());
            self.push(bounds, codes::VIDEO_TOO_SHORT, message);
        }
        if let Some(max) = bounds.value.max
            && ms > max
        {
            let message = format!("This {noun} lasts {}; {label} accepts up to {}.{}", duration(ms), duration(max), bounds.hedge());
            self.push(bounds, codes::VIDEO_TOO_LONG, message);
        }
    }

    fn dimensions(&mut self) {
        let (Some(width), Some(height)) = (self.item.width, self.item.height) else { return };
        let (label, noun) = (self.label, self.item.kind.noun());
        for (bounds, value, side, code) in
            [(&self.kind.width, width, "wide", codes::WIDTH_OUT_OF_RANGE), (&self.kind.height, height, "high", codes::HEIGHT_OUT_OF_RANGE)]
        {
            if let Some(bounds) = bounds
                && bounds.value.excludes(value)
            {
                let range = match (bounds.value.min, bounds.value.max) {
                    (Some(min), Some(max)) => format!("{min}–{max} px"),
                    (Some(min), None) => format!("at least {min} px"),
                    (None, Some(max)) => format!("at most {max} px"),
                    (None, None) => continue,
                };
                let message = format!("This {noun} is {value} px {side}; {label} accepts {range} {side}.{}", bounds.hedge());
                self.push(bounds, code, message);
            }
        }
        if let Some(max) = &self.kind.max_pixels
            && u64::from(width) * u64::from(height) > max.value
        {
            let message = format!(
                "This {noun} has {} pixels ({width}×{height}); {label} accepts at most {}.{}",
                u64::from(width) * u64::from(height),
                max.value,
                max.hedge()
            );
            self.push(max, codes::TOO_MANY_PIXELS, message);
        }
        if let Some(range) = &self.kind.aspect_ratio
            && !range.value.contains(width, height)
        {
            let message = format!(
                "This {noun} is {width}×{height}; {label} accepts aspect ratios from {} (tallest) to {} (widest), so it would be refused or cropped.{}",
                range.value.min,
                range.value.max,
                range.hedge()
            );
            self.push(range, codes::ASPECT_RATIO_OUT_OF_RANGE, message);
        }
    }

    fn push<T>(&mut self, fact: &Fact<T>, code: &'static str, message: String) {
        self.report.push(fact.severity(), code, self.field.clone(), message);
    }
}

fn alt_text(rules: &NetworkRules, item: &MediaFacts, index: usize, report: &mut Report) {
    let Some(alt_rules) = &rules.media.alt_text else { return };
    let alt = item.alt_text.as_deref().map(str::trim).unwrap_or_default();
    if alt.is_empty() {
        if item.kind != MediaKind::Video {
            report.push(
                Severity::Suggestion,
                codes::ADD_ALT_TEXT,
                format!("media[{index}]"),
                format!("Add alt text to this {} so people using screen readers know what it shows.", item.kind.noun()),
            );
        }
        return;
    }
    if let Some(max) = &alt_rules.max {
        let used = alt_rules.counting.measure(alt);
        if used > max.value {
            report.push(
                max.severity(),
                codes::ALT_TEXT_TOO_LONG,
                format!("media[{index}].alt_text"),
                format!(
                    "{} counts {used} of {} characters in this alt text; remove {}.{}",
                    rules.network.label(),
                    max.value,
                    used - max.value,
                    max.hedge()
                ),
            );
        }
    }
}

/// "image, GIF or video".
fn or_list(items: &[&str]) -> String {
    match items {
        [] => "attachment".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(or_list(&["video"]), "video");
        assert_eq!(or_list(&["image", "GIF", "video"]), "image, GIF or video");
    }
}
