//! Threads (Threads API). Figures from networks.md §5.

use super::{GB, MB, MINUTE, mimes};
use crate::publishing::counting::Counting;
use crate::publishing::fact::{Bounds, Fact};
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{KindRules, MediaRules, NetworkRules, TextRules};

const POSTS: &str = "https://developers.facebook.com/documentation/threads/posts";
/// Not in networks.md: "Threads posts containing more than 5 links will fail to post" since
/// 22 December 2025 (official page, read while writing this table).
const LINK_LIMIT: &str = "https://developers.facebook.com/documentation/threads/create-posts/text-attachments";

pub(super) fn rules() -> NetworkRules {
    let text = TextRules {
        // "Text posts are limited to 500 characters. Emojis are counted as the number of UTF-8 bytes."
        counting: Counting::ThreadsEmojiBytes,
        max: Fact::official(500, POSTS),
        max_utf8_bytes: None,
        forbidden_chars: None,
    };
    NetworkRules {
        network: Network::Threads,
        text: text.clone(),
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: Some(Fact::official(5, LINK_LIMIT)),
        links_clickable_in_text: true,
        supports_link_attachment: true, // `link_attachment` (same official page)
        suggest_hashtags: false,
        media: MediaRules {
            // Carousels hold up to 20 items (third-party).
            max_items: Some(Fact::third_party(20, POSTS)),
            kinds: vec![
                KindRules {
                    mime_types: Some(Fact::third_party(mimes(&["image/jpeg", "image/png"]), POSTS)),
                    max_bytes: Some(Fact::third_party(8 * MB, POSTS)),
                    ..KindRules::new(MediaKind::Image)
                },
                KindRules {
                    mime_types: Some(Fact::third_party(mimes(&["video/mp4", "video/quicktime"]), POSTS)),
                    max_bytes: Some(Fact::third_party(GB, POSTS)),
                    duration_ms: Some(Fact::third_party(Bounds::at_most(5 * MINUTE), POSTS)),
                    ..KindRules::new(MediaKind::Video)
                },
            ],
            alt_text: None,
        },
        media_required: false,
        // Replies are published with `reply_to_id` and have their own 1,000/24 h quota.
        supports_threads: true,
        first_comment: Some(text),
        title: None,
    }
}
