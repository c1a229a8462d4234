//! Bluesky (AT Protocol). Figures from networks.md §10: the lexicon's limits are official, the
//! rest third-party.

use super::MB;
use crate::publishing::counting::Counting;
use crate::publishing::fact::Fact;
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MediaRules, NetworkRules, TextRules};

/// `app.bsky.feed.post` (300 graphemes and 3,000 bytes) and `app.bsky.embed.images` (1,000,000
/// bytes per image) lexicons.
const LEXICONS: &str = "https://github.com/bluesky-social/atproto/tree/main/lexicons";
const POSTS: &str = "https://docs.bsky.app/docs/advanced-guides/posts";

/// The PDS refuses any blob over 50 MiB.
const BLOB_CAP: u64 = 52_428_800;

pub(super) fn rules() -> NetworkRules {
    let text = TextRules {
        counting: Counting::Graphemes,
        max: Fact::official(300, LEXICONS),
        max_utf8_bytes: Some(Fact::official(3_000, LEXICONS)),
        forbidden_chars: None,
    };
    let image = KindRules {
        max_count: Some(Fact::official(4, LEXICONS)),
        // Raised to 2 MB in April 2026 per one client (unconfirmed): keep the lexicon's figure.
        max_bytes: Some(Fact::official(MB, LEXICONS)),
        ..KindRules::new(MediaKind::Image)
    };
    NetworkRules {
        network: Network::Bluesky,
        text: text.clone(),
        // The record's separate `tags` field holds ≤ 8; hashtags in the text are not capped.
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: true, // `app.bsky.embed.external` card
        suggest_hashtags: false,
        media: MediaRules {
            max_items: Some(Fact::official(4, LEXICONS)),
            kinds: vec![
                // A GIF goes up as an image blob, under the image limits.
                KindRules { kind: MediaKind::Gif, ..image.clone() },
                image,
                KindRules {
                    max_count: Some(Fact::third_party(1, POSTS)),
                    alone: Some(Fact::third_party(true, POSTS)),
                    max_bytes: Some(Fact::official(BLOB_CAP, POSTS)),
                    ..KindRules::new(MediaKind::Video)
                },
            ],
            alt_text: Some(AltTextRules { max: Some(Fact::third_party(1_000, LEXICONS)), counting: Counting::Graphemes }),
        },
        media_required: false,
        // Replies set `record.reply` {root, parent}; each is a full post.
        supports_threads: true,
        first_comment: Some(text),
        title: None,
    }
}
