//! LinkedIn (Posts API). Figures from networks.md §2; most are third-party there, so `source`
//! names the official page they still need confirming against.

use super::{MB, MINUTE, SECOND, mimes};
use crate::publishing::counting::Counting;
use crate::publishing::fact::{AspectRange, Bounds, Fact, Ratio};
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MediaRules, NetworkRules, TextRules};

const POSTS: &str = "https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api";
const IMAGES: &str = "https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api";
const VIDEOS: &str = "https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api";

pub(super) fn rules() -> NetworkRules {
    let text = TextRules {
        // The unit is undocumented; UTF-16 units are never fewer than characters, so stricter.
        counting: Counting::Utf16Units,
        max: Fact::third_party(3_000, POSTS),
        max_utf8_bytes: None,
        forbidden_chars: None,
    };
    let image = KindRules {
        // Multi-image posts take 2–20 images (third-party).
        max_count: Some(Fact::third_party(20, POSTS)),
        mime_types: Some(Fact::third_party(mimes(&["image/jpeg", "image/gif", "image/png"]), IMAGES)),
        max_bytes: Some(Fact::third_party(5 * MB, IMAGES)),
        // "< 36,152,320 pixels" (third-party, ayrshare).
        max_pixels: Some(Fact::third_party(36_152_319, IMAGES)),
        ..KindRules::new(MediaKind::Image)
    };
    NetworkRules {
        network: Network::LinkedIn,
        text: text.clone(),
        max_hashtags: None, // networks.md: unconfirmed, no figure
        recommended_max_hashtags: None,
        max_mentions: None, // networks.md: unconfirmed, no figure
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: true, // `content.article.source`
        suggest_hashtags: false,
        media: MediaRules {
            max_items: Some(Fact::third_party(20, POSTS)),
            kinds: vec![
                // LinkedIn takes GIFs as images, under the same limits.
                KindRules { kind: MediaKind::Gif, ..image.clone() },
                image,
                KindRules {
                    max_count: Some(Fact::third_party(1, POSTS)),
                    alone: Some(Fact::third_party(true, POSTS)),
                    mime_types: Some(Fact::third_party(mimes(&["video/mp4"]), VIDEOS)),
                    max_bytes: Some(Fact::third_party(500 * MB, VIDEOS)),
                    duration_ms: Some(Fact::third_party(Bounds::between(3 * SECOND, 30 * MINUTE), VIDEOS)),
                    // 1:2.4 – 2.4:1
                    aspect_ratio: Some(Fact::third_party(AspectRange::new(Ratio::new(100, 240), Ratio::new(240, 100)), VIDEOS)),
                    ..KindRules::new(MediaKind::Video)
                },
            ],
            alt_text: Some(AltTextRules { max: None, counting: Counting::Utf16Units }), // `altText`
        },
        media_required: false,
        supports_threads: false,
        // Comments API on the new post URN; its own length limit is not documented.
        first_comment: Some(TextRules { max: text.max.clone().assumed(), ..text }),
        title: None,
    }
}
