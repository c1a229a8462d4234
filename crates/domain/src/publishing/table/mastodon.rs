//! Mastodon. Every server sets its own limits (networks.md §9); these are upstream's defaults,
//! and [`for_instance`] replaces them with what a server publishes.

use crate::publishing::counting::Counting;
use crate::publishing::fact::Fact;
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MastodonInstanceLimits, MediaRules, NetworkRules, TextRules};

/// The server's own length rule: 500 by default, URLs count 23, remote mentions count `@user`.
const LENGTH_RULE: &str = "https://github.com/mastodon/mastodon/blob/main/app/validators/status_length_validator.rb";
const INSTANCE: &str = "https://docs.joinmastodon.org/entities/Instance";
const STATUSES: &str = "https://docs.joinmastodon.org/methods/statuses/";

pub(super) fn rules() -> NetworkRules {
    for_defaults(Fact::official(500, LENGTH_RULE), 23, Fact::official(4, INSTANCE), None, None, None)
}

pub(super) fn for_instance(limits: &MastodonInstanceLimits) -> NetworkRules {
    fn from_server<T>(value: T) -> Fact<T> {
        Fact::official(value, INSTANCE)
    }
    for_defaults(
        from_server(limits.max_characters),
        limits.characters_reserved_per_url,
        from_server(limits.max_media_attachments),
        limits.image_size_limit.map(from_server),
        limits.video_size_limit.map(from_server),
        limits.supported_mime_types.clone().map(from_server),
    )
}

fn for_defaults(
    max_characters: Fact<usize>,
    chars_per_url: usize,
    max_media: Fact<usize>,
    image_bytes: Option<Fact<u64>>,
    video_bytes: Option<Fact<u64>>,
    mime_types: Option<Fact<Vec<String>>>,
) -> NetworkRules {
    let text =
        TextRules { counting: Counting::Mastodon { chars_per_url }, max: max_characters, max_utf8_bytes: None, forbidden_chars: None };
    let image = KindRules { max_bytes: image_bytes, mime_types: mime_types.clone(), ..KindRules::new(MediaKind::Image) };
    NetworkRules {
        network: Network::Mastodon,
        text: text.clone(),
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: false, // the preview card comes from a URL in the text
        // Hashtags are how posts are found: Mastodon has no algorithmic discovery.
        suggest_hashtags: true,
        media: MediaRules {
            max_items: Some(max_media),
            kinds: vec![
                // GIFs are uploaded as images and converted by the server.
                KindRules { kind: MediaKind::Gif, ..image.clone() },
                image,
                KindRules { max_bytes: video_bytes, mime_types, ..KindRules::new(MediaKind::Video) },
            ],
            // `description` on upload; its length cap is per server.
            alt_text: Some(AltTextRules { max: None, counting: Counting::Graphemes }),
        },
        media_required: false,
        // Threads and first comments are statuses with `in_reply_to_id`, under the same limits.
        supports_threads: true,
        first_comment: Some(TextRules { max: Fact { source: STATUSES, ..text.max.clone() }, ..text }),
        title: None,
    }
}
