//! Pinterest (API v5). networks.md §8 confirms that every Pin needs one image or video; text and
//! title limits are unconfirmed (the figures below are third-party, so warning-only).

use crate::publishing::counting::Counting;
use crate::publishing::fact::Fact;
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MediaRules, NetworkRules, TextRules, TitleRules};

const PINS: &str = "https://developers.pinterest.com/docs/work-with-organic-content-and-users/create-boards-and-pins/";

pub(super) fn rules() -> NetworkRules {
    NetworkRules {
        network: Network::Pinterest,
        // The post text is the Pin description.
        text: TextRules { counting: Counting::Utf16Units, max: Fact::unconfirmed(500, PINS), max_utf8_bytes: None, forbidden_chars: None },
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: false,
        supports_link_attachment: true, // the Pin's destination `link`
        suggest_hashtags: false,
        media: MediaRules {
            // "1 image or 1 video per Pin" (carousels via `multiple_image_urls` are unconfirmed).
            max_items: Some(Fact::official(1, PINS)),
            kinds: vec![KindRules::new(MediaKind::Image), KindRules::new(MediaKind::Gif), KindRules::new(MediaKind::Video)],
            alt_text: Some(AltTextRules { max: None, counting: Counting::Utf16Units }), // `alt_text`
        },
        media_required: true,
        supports_threads: false,
        first_comment: None, // no comment API (unconfirmed)
        title: Some(TitleRules {
            required: None,
            text: TextRules {
                counting: Counting::Utf16Units,
                max: Fact::unconfirmed(100, PINS),
                max_utf8_bytes: None,
                forbidden_chars: None,
            },
        }),
    }
}
