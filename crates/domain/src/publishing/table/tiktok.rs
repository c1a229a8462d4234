//! TikTok (Content Posting API). networks.md §7 confirms that a post is one video or a photo
//! post and that media is required; caption and file limits are unconfirmed.

use super::mimes;
use crate::publishing::counting::Counting;
use crate::publishing::fact::Fact;
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{KindRules, MediaRules, NetworkRules, TextRules};

const DIRECT_POST: &str = "https://developers.tiktok.com/doc/content-posting-api-reference-direct-post";
const GET_STARTED: &str = "https://developers.tiktok.com/doc/content-posting-api-get-started/";

pub(super) fn rules() -> NetworkRules {
    NetworkRules {
        network: Network::TikTok,
        text: TextRules {
            counting: Counting::Utf16Units,
            // The caption (`post_info.title`): 2,200 per third-party schedulers; unconfirmed.
            max: Fact::unconfirmed(2_200, DIRECT_POST),
            max_utf8_bytes: None,
            forbidden_chars: None,
        },
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: false,
        supports_link_attachment: false,
        suggest_hashtags: true,
        media: MediaRules {
            max_items: None, // photo-post count unconfirmed
            kinds: vec![
                KindRules {
                    // PNG is not accepted for photo posts (third-party); JPEG and WebP are.
                    mime_types: Some(Fact::third_party(mimes(&["image/jpeg", "image/webp"]), GET_STARTED)),
                    ..KindRules::new(MediaKind::Image)
                },
                KindRules {
                    // "1 video, or photo post": a video is the whole post.
                    max_count: Some(Fact::official(1, DIRECT_POST)),
                    alone: Some(Fact::official(true, DIRECT_POST)),
                    ..KindRules::new(MediaKind::Video)
                },
            ],
            alt_text: None,
        },
        media_required: true,
        supports_threads: false,
        first_comment: None, // no comments in the Content Posting API
        title: None,
    }
}
