//! The outcome of validating a draft: a flat list of issues with stable codes the UI can
//! translate, and clear English messages for everyone else.

use serde::Serialize;

/// How much an issue matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The network would reject the post: it cannot be scheduled.
    Error,
    /// The post goes out but probably not as intended, or a guessed limit may reject it.
    Warning,
    /// The post is fine; this would make it better.
    Suggestion,
}

/// One finding about a draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub severity: Severity,
    /// Stable snake_case identifier, one of [`codes::ALL`].
    pub code: &'static str,
    /// The draft field at fault: `text`, `title`, `link`, `first_comment`, `media`, `media[1]`…
    pub field: String,
    /// A sentence for the user, with the numbers that matter.
    pub message: String,
}

/// All issues found in a draft, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub issues: Vec<Issue>,
}

impl Report {
    /// Whether any issue is an [`Severity::Error`]: the post must not be queued as it is.
    pub fn blocks_scheduling(&self) -> bool {
        self.issues.iter().any(|issue| issue.severity == Severity::Error)
    }

    /// Whether an issue with this code was found.
    pub fn has(&self, code: &str) -> bool {
        self.issues.iter().any(|issue| issue.code == code)
    }

    /// Issues of one severity.
    pub fn with_severity(&self, severity: Severity) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(move |issue| issue.severity == severity)
    }

    pub(crate) fn push(&mut self, severity: Severity, code: &'static str, field: impl Into<String>, message: String) {
        self.issues.push(Issue { severity, code, field: field.into(), message });
    }
}

/// Every issue code the validator can emit. Codes are part of the API: never rename one.
pub mod codes {
    pub const POST_EMPTY: &str = "post_empty";
    pub const TEXT_TOO_LONG: &str = "text_too_long";
    pub const TEXT_TOO_MANY_BYTES: &str = "text_too_many_bytes";
    pub const TEXT_INVALID_CHARACTERS: &str = "text_invalid_characters";
    pub const TOO_MANY_HASHTAGS: &str = "too_many_hashtags";
    pub const HASHTAGS_ABOVE_RECOMMENDED: &str = "hashtags_above_recommended";
    pub const TOO_MANY_MENTIONS: &str = "too_many_mentions";
    pub const TOO_MANY_LINKS: &str = "too_many_links";
    pub const LINKS_NOT_CLICKABLE: &str = "links_not_clickable";
    pub const SPLIT_INTO_THREAD: &str = "split_into_thread";
    pub const ADD_HASHTAG: &str = "add_hashtag";
    pub const MEDIA_REQUIRED: &str = "media_required";
    pub const TOO_MANY_MEDIA: &str = "too_many_media";
    pub const MEDIA_KIND_NOT_ALLOWED: &str = "media_kind_not_allowed";
    pub const MEDIA_MUST_BE_ALONE: &str = "media_must_be_alone";
    pub const MEDIA_TYPE_NOT_ALLOWED: &str = "media_type_not_allowed";
    pub const IMAGE_TOO_LARGE: &str = "image_too_large";
    pub const GIF_TOO_LARGE: &str = "gif_too_large";
    pub const VIDEO_TOO_LARGE: &str = "video_too_large";
    pub const VIDEO_TOO_LONG: &str = "video_too_long";
    pub const VIDEO_TOO_SHORT: &str = "video_too_short";
    pub const WIDTH_OUT_OF_RANGE: &str = "width_out_of_range";
    pub const HEIGHT_OUT_OF_RANGE: &str = "height_out_of_range";
    pub const TOO_MANY_PIXELS: &str = "too_many_pixels";
    pub const ASPECT_RATIO_OUT_OF_RANGE: &str = "aspect_ratio_out_of_range";
    pub const ALT_TEXT_TOO_LONG: &str = "alt_text_too_long";
    pub const ADD_ALT_TEXT: &str = "add_alt_text";
    pub const TITLE_REQUIRED: &str = "title_required";
    pub const TITLE_TOO_LONG: &str = "title_too_long";
    pub const TITLE_INVALID_CHARACTERS: &str = "title_invalid_characters";
    pub const TITLE_NOT_SUPPORTED: &str = "title_not_supported";
    pub const LINK_INVALID: &str = "link_invalid";
    pub const LINK_NOT_SUPPORTED: &str = "link_not_supported";
    pub const FIRST_COMMENT_NOT_SUPPORTED: &str = "first_comment_not_supported";
    pub const FIRST_COMMENT_TOO_LONG: &str = "first_comment_too_long";

    /// Every code above, for API documentation and the UI's translation table.
    pub const ALL: &[&str] = &[
        POST_EMPTY,
        TEXT_TOO_LONG,
        TEXT_TOO_MANY_BYTES,
        TEXT_INVALID_CHARACTERS,
        TOO_MANY_HASHTAGS,
        HASHTAGS_ABOVE_RECOMMENDED,
        TOO_MANY_MENTIONS,
        TOO_MANY_LINKS,
        LINKS_NOT_CLICKABLE,
        SPLIT_INTO_THREAD,
        ADD_HASHTAG,
        MEDIA_REQUIRED,
        TOO_MANY_MEDIA,
        MEDIA_KIND_NOT_ALLOWED,
        MEDIA_MUST_BE_ALONE,
        MEDIA_TYPE_NOT_ALLOWED,
        IMAGE_TOO_LARGE,
        GIF_TOO_LARGE,
        VIDEO_TOO_LARGE,
        VIDEO_TOO_LONG,
        VIDEO_TOO_SHORT,
        WIDTH_OUT_OF_RANGE,
        HEIGHT_OUT_OF_RANGE,
        TOO_MANY_PIXELS,
        ASPECT_RATIO_OUT_OF_RANGE,
        ALT_TEXT_TOO_LONG,
        ADD_ALT_TEXT,
        TITLE_REQUIRED,
        TITLE_TOO_LONG,
        TITLE_INVALID_CHARACTERS,
        TITLE_NOT_SUPPORTED,
        LINK_INVALID,
        LINK_NOT_SUPPORTED,
        FIRST_COMMENT_NOT_SUPPORTED,
        FIRST_COMMENT_TOO_LONG,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in codes::ALL {
            assert!(seen.insert(code), "{code} listed twice");
            assert!(!code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code} is not snake_case");
        }
    }

    #[test]
    fn only_errors_block_scheduling() {
        let mut report = Report::default();
        assert!(!report.blocks_scheduling());
        report.push(Severity::Warning, codes::LINKS_NOT_CLICKABLE, "text", "w".into());
        report.push(Severity::Suggestion, codes::ADD_ALT_TEXT, "media[0]", "s".into());
        assert!(!report.blocks_scheduling());
        report.push(Severity::Error, codes::TEXT_TOO_LONG, "text", "e".into());
        assert!(report.blocks_scheduling());
        assert!(report.has(codes::TEXT_TOO_LONG) && !report.has(codes::MEDIA_REQUIRED));
        assert_eq!(report.with_severity(Severity::Warning).count(), 1);
    }
}
