//! YouTube (Data API v3). Figures from networks.md §6: only the file size and MIME types are
//! confirmed; the title and description limits are widely used but unconfirmed, so they warn.

use super::{GB, MINUTE, mimes};
use crate::publishing::counting::Counting;
use crate::publishing::fact::{Bounds, Fact};
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{KindRules, MediaRules, NetworkRules, TextRules, TitleRules};

const INSERT: &str = "https://developers.google.com/youtube/v3/docs/videos/insert";

const ANGLE_BRACKETS: &[char] = &['<', '>'];

pub(super) fn rules() -> NetworkRules {
    // The post text is the video description: ≤ 5,000 bytes, no `<`/`>` (unconfirmed).
    let description = TextRules {
        counting: Counting::Utf8Bytes,
        max: Fact::unconfirmed(5_000, INSERT),
        max_utf8_bytes: None,
        forbidden_chars: Some(Fact::unconfirmed(ANGLE_BRACKETS, INSERT)),
    };
    NetworkRules {
        network: Network::YouTube,
        text: description.clone(),
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: false,
        suggest_hashtags: false,
        media: MediaRules {
            max_items: Some(Fact::official(1, INSERT)),
            kinds: vec![KindRules {
                mime_types: Some(Fact::official(mimes(&["video/*", "application/octet-stream"]), INSERT)),
                max_bytes: Some(Fact::official(256 * GB, INSERT)),
                // 15 minutes unless the account is verified (unconfirmed).
                duration_ms: Some(Fact::unconfirmed(Bounds::at_most(15 * MINUTE), INSERT)),
                ..KindRules::new(MediaKind::Video)
            }],
            alt_text: None,
        },
        media_required: true,
        supports_threads: false,
        // `commentThreads.insert` on the new video (50 quota units).
        first_comment: Some(TextRules { counting: Counting::CodePoints, forbidden_chars: None, ..description }),
        title: Some(TitleRules {
            required: Some(Fact::unconfirmed(true, INSERT)),
            text: TextRules {
                counting: Counting::CodePoints,
                max: Fact::unconfirmed(100, INSERT),
                max_utf8_bytes: None,
                forbidden_chars: Some(Fact::unconfirmed(ANGLE_BRACKETS, INSERT)),
            },
        }),
    }
}
