//! Instagram (Graph API / Instagram Login). Figures from networks.md §4.

use super::{MB, MINUTE, SECOND, mimes};
use crate::publishing::counting::Counting;
use crate::publishing::fact::{AspectRange, Bounds, Fact, Ratio};
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MediaRules, NetworkRules, TextRules};

const PUBLISHING: &str = "https://developers.facebook.com/docs/instagram-platform/content-publishing/";

pub(super) fn rules() -> NetworkRules {
    let text = TextRules {
        // The unit is undocumented; UTF-16 units are never fewer than characters, so stricter.
        counting: Counting::Utf16Units,
        max: Fact::third_party(2_200, PUBLISHING),
        max_utf8_bytes: None,
        forbidden_chars: None,
    };
    NetworkRules {
        network: Network::Instagram,
        text: text.clone(),
        max_hashtags: Some(Fact::third_party(30, PUBLISHING)),
        recommended_max_hashtags: None,
        max_mentions: Some(Fact::third_party(20, PUBLISHING)),
        max_links: None,
        // Caption URLs are shown as plain text.
        links_clickable_in_text: false,
        supports_link_attachment: false,
        suggest_hashtags: true,
        media: MediaRules {
            // A carousel holds up to 10 items, images and videos mixed.
            max_items: Some(Fact::third_party(10, PUBLISHING)),
            kinds: vec![
                KindRules {
                    // The official page says JPEG; PNG/GIF acceptance is unconfirmed.
                    mime_types: Some(Fact::official(mimes(&["image/jpeg"]), PUBLISHING)),
                    max_bytes: Some(Fact::third_party(8 * MB, PUBLISHING)),
                    aspect_ratio: Some(Fact::third_party(AspectRange::new(Ratio::new(4, 5), Ratio::new(191, 100)), PUBLISHING)),
                    // 320–1440 px wide (third-party), but the same source says Instagram "gives
                    // leeway on the height and width" within the aspect range: warn, don't block.
                    width: Some(Fact::unconfirmed(Bounds::between(320, 1440), PUBLISHING)),
                    ..KindRules::new(MediaKind::Image)
                },
                KindRules {
                    // Feed videos are published as Reels.
                    mime_types: Some(Fact::third_party(mimes(&["video/mp4", "video/quicktime"]), PUBLISHING)),
                    duration_ms: Some(Fact::third_party(Bounds::between(3 * SECOND, 15 * MINUTE), PUBLISHING)),
                    width: Some(Fact::third_party(Bounds::at_most(1920), PUBLISHING)),
                    // Sources disagree (300 MB vs 1 GB): the stricter, unconfirmed.
                    max_bytes: Some(Fact::unconfirmed(300 * MB, PUBLISHING)),
                    ..KindRules::new(MediaKind::Video)
                },
            ],
            // `alt_text` on image containers since 24 March 2025.
            alt_text: Some(AltTextRules { max: None, counting: Counting::Utf16Units }),
        },
        media_required: true,
        supports_threads: false,
        first_comment: Some(TextRules { max: text.max.clone().assumed(), ..text }), // `POST /{ig-media-id}/comments`
        title: None,
    }
}
