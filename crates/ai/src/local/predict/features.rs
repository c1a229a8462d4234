//! What the performance model sees of a post: its text (length, hashtags, mentions, links,
//! question, exclamation, emoji, sentiment, readability), its media, its network and when it
//! went out (UTC hour and weekday, one-hot so a single good hour is not forced onto a curve).

use zenalto_domain::publishing::Network;

use crate::local::hashtags::hashtags_in;
use crate::local::readability::readability;
use crate::local::sentiment::sentiment;

/// A post as the model sees it.
#[derive(Clone, Debug)]
pub struct PostShape<'a> {
    /// The text with its hashtags, as published.
    pub text: &'a str,
    pub network: Network,
    /// When it goes out, in UTC: 0–23 and 0 (Monday) – 6 (Sunday).
    pub hour: u8,
    pub weekday: u8,
    pub images: usize,
    pub videos: usize,
}

const TEXT_FEATURES: [&str; 11] = [
    "length_log",
    "hashtags",
    "mentions",
    "links",
    "question",
    "exclamation",
    "emoji",
    "sentiment",
    "reading_ease",
    "images",
    "videos",
];

/// The name of every feature, in the order of [`features`].
pub fn names() -> Vec<String> {
    let mut out: Vec<String> = TEXT_FEATURES.iter().map(|n| (*n).to_owned()).collect();
    out.extend(
        Network::ALL
            .iter()
            .map(|n| format!("network_{}", n.as_str())),
    );
    out.extend((0..24).map(|h| format!("hour_{h:02}")));
    out.extend(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .map(|d| format!("weekday_{d}")),
    );
    out
}

/// Emoji and pictographs (the common blocks; skin tones and joiners are not counted).
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

pub fn mentions_in(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.len() > 1 && w.starts_with('@'))
        .count()
}

pub fn links_in(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .count()
}

/// The feature vector of a post, in the order of [`names`]. Counts are capped so one odd post
/// (forty hashtags) does not dominate a linear model.
pub fn features(post: &PostShape<'_>) -> Vec<f64> {
    let text = post.text;
    let chars = text.chars().count();
    let ease = if text.split_whitespace().next().is_some() {
        readability(text).flesch_reading_ease.clamp(-50.0, 120.0) / 100.0
    } else {
        0.0
    };
    let mut out = vec![
        (1.0 + chars as f64).ln(),
        hashtags_in(text).len().min(15) as f64,
        mentions_in(text).min(10) as f64,
        links_in(text).min(5) as f64,
        f64::from(u8::from(text.contains('?'))),
        f64::from(u8::from(text.contains('!'))),
        text.chars().filter(|c| is_emoji(*c)).count().min(10) as f64,
        sentiment(text).compound,
        ease,
        post.images.min(10) as f64,
        post.videos.min(4) as f64,
    ];
    out.extend(
        Network::ALL
            .iter()
            .map(|n| f64::from(u8::from(*n == post.network))),
    );
    out.extend((0..24u8).map(|h| f64::from(u8::from(h == post.hour))));
    out.extend((0..7u8).map(|d| f64::from(u8::from(d == post.weekday))));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn features_follow_their_names() {
        let post = PostShape {
            text: "Ready? 🎉 Read https://example.org with @ann #launch #news",
            network: Network::Mastodon,
            hour: 18,
            weekday: 1,
            images: 2,
            videos: 0,
        };
        let values = features(&post);
        let names = names();
        assert_eq!(values.len(), names.len());
        let get = |name: &str| values[names.iter().position(|n| n == name).unwrap()];
        assert_eq!(
            (
                get("hashtags"),
                get("mentions"),
                get("links"),
                get("question"),
                get("emoji"),
                get("images")
            ),
            (2.0, 1.0, 1.0, 1.0, 1.0, 2.0)
        );
        assert_eq!(
            (
                get("network_mastodon"),
                get("network_x"),
                get("hour_18"),
                get("hour_17"),
                get("weekday_tue")
            ),
            (1.0, 0.0, 1.0, 0.0, 1.0)
        );
    }
}
