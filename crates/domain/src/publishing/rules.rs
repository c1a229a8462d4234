//! What a network accepts, as plain data. The per-network tables live in `table/`; services may
//! override any figure (a Mastodon instance's own limits, an X Premium account's longer videos)
//! because networks change them without notice.

use serde::{Deserialize, Serialize};

use super::counting::Counting;
use super::fact::{AspectRange, Bounds, Fact};
use super::media::MediaKind;
use super::network::Network;

/// Everything the validator and the thread splitter know about one network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkRules {
    pub network: Network,
    pub text: TextRules,
    pub max_hashtags: Option<Fact<usize>>,
    /// Beyond this many hashtags the network's own guidance says reach suffers (warning only).
    pub recommended_max_hashtags: Option<Fact<usize>>,
    pub max_mentions: Option<Fact<usize>>,
    /// Distinct links in the text plus the attached link.
    pub max_links: Option<Fact<usize>>,
    /// Whether URLs typed into the text become links (not on Instagram captions).
    pub links_clickable_in_text: bool,
    /// Whether the network takes a separate link (card, destination URL) beside the text.
    pub supports_link_attachment: bool,
    /// Whether hashtags drive discovery enough to suggest one when there is none.
    pub suggest_hashtags: bool,
    pub media: MediaRules,
    /// Whether a post needs at least one attachment (no text-only posts).
    pub media_required: bool,
    /// Whether a long text can go out as a chain of replies ([`super::split_into_thread`]).
    pub supports_threads: bool,
    /// The rules for the first comment, or `None` when the network has no way to post one.
    pub first_comment: Option<TextRules>,
    /// The rules for a separate title, or `None` when the network has no title field.
    pub title: Option<TitleRules>,
}

/// How a text is counted and how long it may be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextRules {
    pub counting: Counting,
    pub max: Fact<usize>,
    /// A second, byte-based cap some networks enforce as well (Bluesky: 3,000 UTF-8 bytes).
    pub max_utf8_bytes: Option<Fact<usize>>,
    /// Characters the network refuses in this field (YouTube: `<` and `>`).
    pub forbidden_chars: Option<Fact<&'static [char]>>,
}

/// The title field of networks that have one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TitleRules {
    /// `Some` when a post without a title is refused.
    pub required: Option<Fact<bool>>,
    pub text: TextRules,
}

/// Attachment limits for one post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MediaRules {
    /// Attachments of all kinds together.
    pub max_items: Option<Fact<usize>>,
    /// One entry per allowed kind; a kind without an entry is refused.
    pub kinds: Vec<KindRules>,
    /// Whether the network shows alternative text, so it is worth suggesting.
    pub alt_text: Option<AltTextRules>,
}

impl MediaRules {
    /// The rules for `kind`, or `None` when the network refuses that kind.
    pub fn kind(&self, kind: MediaKind) -> Option<&KindRules> {
        self.kinds.iter().find(|rules| rules.kind == kind)
    }
}

/// Alternative text, where the network supports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AltTextRules {
    pub max: Option<Fact<usize>>,
    pub counting: Counting,
}

/// Limits for one kind of attachment. Every limit is optional: `None` means no known limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindRules {
    pub kind: MediaKind,
    /// How many of this kind one post may carry.
    pub max_count: Option<Fact<usize>>,
    /// Whether this kind must be the post's only attachment (X: a video or a GIF goes alone).
    pub alone: Option<Fact<bool>>,
    /// Accepted MIME types; `type/*` wildcards allowed.
    pub mime_types: Option<Fact<Vec<String>>>,
    pub max_bytes: Option<Fact<u64>>,
    pub width: Option<Fact<Bounds<u32>>>,
    pub height: Option<Fact<Bounds<u32>>>,
    pub max_pixels: Option<Fact<u64>>,
    pub duration_ms: Option<Fact<Bounds<u64>>>,
    pub aspect_ratio: Option<Fact<AspectRange>>,
}

impl KindRules {
    /// A kind that is allowed with no known limits; tables fill in what they know.
    pub fn new(kind: MediaKind) -> Self {
        KindRules {
            kind,
            max_count: None,
            alone: None,
            mime_types: None,
            max_bytes: None,
            width: None,
            height: None,
            max_pixels: None,
            duration_ms: None,
            aspect_ratio: None,
        }
    }
}

/// The limits a Mastodon server publishes under `configuration` in `GET /api/v2/instance`
/// (https://docs.joinmastodon.org/entities/Instance). Every server sets its own, so services
/// fetch them per account and build rules with [`NetworkRules::for_mastodon_instance`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MastodonInstanceLimits {
    /// `configuration.statuses.max_characters`
    pub max_characters: usize,
    /// `configuration.statuses.characters_reserved_per_url`
    pub characters_reserved_per_url: usize,
    /// `configuration.statuses.max_media_attachments`
    pub max_media_attachments: usize,
    /// `configuration.media_attachments.image_size_limit`
    #[serde(default)]
    pub image_size_limit: Option<u64>,
    /// `configuration.media_attachments.video_size_limit`
    #[serde(default)]
    pub video_size_limit: Option<u64>,
    /// `configuration.media_attachments.supported_mime_types`
    #[serde(default)]
    pub supported_mime_types: Option<Vec<String>>,
}
