//! What the validator needs to know about an attachment. The media library measures files and
//! fills these in; nothing here opens a file.

use serde::{Deserialize, Serialize};

/// The kind of an attachment, as networks distinguish them (X, for one, treats an animated GIF
/// neither as an image nor as a video).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Gif,
    Video,
}

impl MediaKind {
    /// A lower-case noun for messages ("image", "GIF", "video").
    pub const fn noun(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Gif => "GIF",
            MediaKind::Video => "video",
        }
    }
}

/// Measured facts about one attachment. Dimensions and duration are optional because probing
/// can fail; a limit that needs a missing fact is not checked rather than guessed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFacts {
    pub kind: MediaKind,
    pub bytes: u64,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// The sniffed MIME type, e.g. `image/jpeg`.
    pub mime: String,
    /// Alternative text for screen readers, if the user wrote one.
    #[serde(default)]
    pub alt_text: Option<String>,
}

impl MediaFacts {
    /// Whether the MIME type matches one of `allowed`, which may hold wildcards like `video/*`.
    /// Parameters (`; codecs=…`) and case are ignored.
    pub fn mime_matches(&self, allowed: &[String]) -> bool {
        let mime = self.mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        allowed.iter().any(|pattern| match pattern.strip_suffix("/*") {
            Some(top) => mime.split('/').next() == Some(top) && mime.contains('/'),
            None => mime == pattern.as_str(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_mime(mime: &str) -> MediaFacts {
        MediaFacts { kind: MediaKind::Video, bytes: 1, width: None, height: None, duration_ms: None, mime: mime.into(), alt_text: None }
    }

    #[test]
    fn mime_matching_ignores_case_and_parameters_and_supports_wildcards() {
        let allowed = vec!["video/*".to_owned(), "application/octet-stream".to_owned()];
        let cases = [
            ("video/mp4", true),
            ("Video/QuickTime", true),
            ("video/mp4; codecs=\"avc1\"", true),
            ("application/octet-stream", true),
            ("image/png", false),
            ("video", false),
            ("", false),
        ];
        for (mime, expected) in cases {
            assert_eq!(with_mime(mime).mime_matches(&allowed), expected, "{mime}");
        }
    }
}
