//! The built-in sandbox network: generous, permissive limits so flows can be tried end to end
//! without an account anywhere. Its figures are ours, not a network's.

use crate::publishing::counting::Counting;
use crate::publishing::fact::Fact;
use crate::publishing::media::MediaKind;
use crate::publishing::network::Network;
use crate::publishing::rules::{AltTextRules, KindRules, MediaRules, NetworkRules, TextRules, TitleRules};

const SANDBOX: &str = "zenalto: built-in sandbox network";

pub(super) fn rules() -> NetworkRules {
    let text =
        TextRules { counting: Counting::CodePoints, max: Fact::official(5_000, SANDBOX), max_utf8_bytes: None, forbidden_chars: None };
    NetworkRules {
        network: Network::Sandbox,
        text: text.clone(),
        max_hashtags: None,
        recommended_max_hashtags: None,
        max_mentions: None,
        max_links: None,
        links_clickable_in_text: true,
        supports_link_attachment: true,
        suggest_hashtags: false,
        media: MediaRules {
            max_items: Some(Fact::official(10, SANDBOX)),
            kinds: vec![KindRules::new(MediaKind::Image), KindRules::new(MediaKind::Gif), KindRules::new(MediaKind::Video)],
            alt_text: Some(AltTextRules { max: None, counting: Counting::CodePoints }),
        },
        media_required: false,
        supports_threads: true,
        first_comment: Some(text.clone()),
        title: Some(TitleRules { required: None, text: TextRules { max: Fact::official(300, SANDBOX), ..text } }),
    }
}
