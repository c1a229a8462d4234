//! Facebook Pages (Graph API). networks.md §3 confirms no limit at all, so the only figure here
//! is the commonly quoted post length, unconfirmed and therefore warning-only.

use crate::publishing::counting::Counting;
use crate::publishing::fact::Fact;
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{KindRules, MediaRules, NetworkRules, TextRules};

const POSTS: &str = "https://developers.facebook.com/docs/pages-api/posts";

pub(super) fn rules() -> NetworkRules {
    let text = TextRules {
        counting: Counting::Utf16Units,
        // Widely quoted by third parties; networks.md: unconfirmed.
        max: Fact::unconfirmed(63_206, POSTS),
        max_utf8_bytes: None,
        forbidden_chars: None,
    };
    NetworkRules {
        network: Network::Facebook,
        text: text.clone(),
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: true, // `link` on `POST /{page_id}/feed`
        suggest_hashtags: false,
        media: MediaRules {
            max_items: None, // unconfirmed, no figure
            kinds: vec![KindRules::new(MediaKind::Image), KindRules::new(MediaKind::Gif), KindRules::new(MediaKind::Video)],
            alt_text: None,
        },
        media_required: false,
        supports_threads: false,
        first_comment: Some(text.clone()), // `POST /{post_id}/comments`
        title: None,
    }
}
