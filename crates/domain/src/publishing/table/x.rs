//! X (API v2). Figures from networks.md §1.

use super::{GB, MB, MINUTE, SECOND, mimes};
use crate::publishing::counting::Counting;
use crate::publishing::fact::{AspectRange, Bounds, Fact, Ratio};
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MediaRules, NetworkRules, TextRules};

const COUNTING: &str = "https://docs.x.com/fundamentals/counting-characters";
const MEDIA: &str = "https://docs.x.com/x-api/media/quickstart/best-practices";
const POSTS: &str = "https://docs.x.com/x-api/posts/creation-of-a-post";
const HASHTAG_HELP: &str = "https://help.x.com/en/using-x/how-to-use-hashtags";
/// X's own counting library, whose validation refuses these characters.
const TWITTER_TEXT: &str = "https://github.com/twitter/twitter-text";

/// Characters twitter-text refuses outright, whatever the length.
const INVALID: &[char] = &['\u{FFFE}', '\u{FEFF}', '\u{FFFF}'];

pub(super) fn rules() -> NetworkRules {
    let text = TextRules {
        counting: Counting::XWeighted,
        max: Fact::official(280, COUNTING),
        max_utf8_bytes: None,
        forbidden_chars: Some(Fact::official(INVALID, TWITTER_TEXT)),
    };
    NetworkRules {
        network: Network::X,
        text: text.clone(),
        max_hashtags: None, // networks.md: unconfirmed, no figure
        // X's help centre: "no more than 2 hashtags per post as best practice" (quoted by third parties).
        recommended_max_hashtags: Some(Fact::unconfirmed(2, HASHTAG_HELP)),
        max_mentions: None, // networks.md: unconfirmed, no figure
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: false,
        suggest_hashtags: false,
        media: MediaRules {
            // "up to 4 photos, or 1 animated GIF, or 1 video"
            max_items: Some(Fact::official(4, MEDIA)),
            kinds: vec![
                KindRules {
                    max_count: Some(Fact::official(4, MEDIA)),
                    mime_types: Some(Fact::official(mimes(&["image/jpeg", "image/png", "image/gif", "image/webp"]), MEDIA)),
                    max_bytes: Some(Fact::official(5 * MB, MEDIA)),
                    ..KindRules::new(MediaKind::Image)
                },
                KindRules {
                    max_count: Some(Fact::official(1, MEDIA)),
                    alone: Some(Fact::official(true, MEDIA)),
                    mime_types: Some(Fact::official(mimes(&["image/gif"]), MEDIA)),
                    max_bytes: Some(Fact::official(15 * MB, MEDIA)),
                    ..KindRules::new(MediaKind::Gif)
                },
                KindRules {
                    max_count: Some(Fact::official(1, MEDIA)),
                    alone: Some(Fact::official(true, MEDIA)),
                    // Default accounts; Premium allows 125 min / 16 GB, so services may relax these.
                    max_bytes: Some(Fact::official(8 * GB, MEDIA)),
                    duration_ms: Some(Fact::official(Bounds::between(SECOND / 2, 20 * MINUTE), MEDIA)),
                    width: Some(Fact::official(Bounds::between(32, 1280), MEDIA)),
                    height: Some(Fact::official(Bounds::between(32, 1024), MEDIA)),
                    aspect_ratio: Some(Fact::official(AspectRange::new(Ratio::new(1, 3), Ratio::new(3, 1)), MEDIA)),
                    ..KindRules::new(MediaKind::Video)
                },
            ],
            alt_text: Some(AltTextRules { max: None, counting: Counting::CodePoints }),
        },
        media_required: false,
        // Threads and first comments are replies: `reply.in_reply_to_tweet_id`, each a full post.
        supports_threads: true,
        first_comment: Some(TextRules { max: Fact::official(280, POSTS), ..text }),
        title: None,
    }
}
