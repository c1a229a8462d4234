use proptest::prelude::*;

use super::*;
use crate::publishing::entities::{self, Urls};

const FAMILY: &str = "👨\u{200D}👩\u{200D}👧\u{200D}👦";

fn sentence(n: usize) -> String {
    format!("Sentence number {n} says something about scheduling posts on time.")
}

/// The part without its " (i/n)" suffix.
fn unnumbered(parts: &[String]) -> Vec<String> {
    let total = parts.len();
    parts.iter().enumerate().map(|(i, part)| part.strip_suffix(&format!(" ({}/{total})", i + 1)).unwrap_or(part).to_owned()).collect()
}

fn non_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_all_fit(network: Network, parts: &[String]) {
    let rules = NetworkRules::for_network(network);
    for part in parts {
        assert!(rules.text.fits(part), "{network}: {part:?} is {} long", crate::publishing::count(network, part).used);
    }
}

#[test]
fn networks_without_threads_get_none() {
    for network in [Network::LinkedIn, Network::Facebook, Network::Instagram, Network::YouTube, Network::TikTok, Network::Pinterest] {
        assert_eq!(split_into_thread(network, "hello"), None, "{network}");
    }
    for network in [Network::X, Network::Threads, Network::Mastodon, Network::Bluesky, Network::Sandbox] {
        assert_eq!(split_into_thread(network, "  hello  "), Some(vec!["hello".to_owned()]), "{network}");
        assert_eq!(split_into_thread(network, " \n "), Some(vec![]), "{network}");
    }
}

#[test]
fn paragraphs_come_first() {
    // Each paragraph fits a post; no two do.
    let paragraphs: Vec<String> = (0..3).map(|p| format!("{} {} {}", sentence(p), sentence(p + 10), sentence(p + 20))).collect();
    let text = paragraphs.join("\n\n");
    let parts = split_into_thread(Network::X, &text).unwrap();
    let expected: Vec<String> = paragraphs.iter().enumerate().map(|(i, p)| format!("{p} ({}/3)", i + 1)).collect();
    assert_eq!(parts, expected);
}

#[test]
fn then_sentences() {
    let text = (0..12).map(sentence).collect::<Vec<_>>().join(" ");
    let parts = split_into_thread(Network::X, &text).unwrap();
    assert!(parts.len() > 1);
    for part in unnumbered(&parts) {
        assert!(part.ends_with("on time."), "{part:?} should end at a sentence");
    }
    assert_all_fit(Network::X, &parts);
}

#[test]
fn then_words_never_cutting_a_url_mention_or_hashtag() {
    let url = "https://example.com/a/long/path/segment/that/keeps/going/on";
    let text = (0..40).map(|i| format!("word{i} {url} @someone #hashtag{i}")).collect::<Vec<_>>().join(" ");
    let parts = split_into_thread(Network::X, &text).unwrap();
    assert!(parts.len() > 1);
    assert_all_fit(Network::X, &parts);
    for part in unnumbered(&parts) {
        for piece in part.split(' ') {
            assert!(!piece.starts_with("http") || piece == url, "URL cut: {piece:?}");
        }
        assert!(!part.ends_with('@') && !part.ends_with('#'));
    }
    assert_eq!(non_whitespace(&unnumbered(&parts).concat()), non_whitespace(&text));
}

#[test]
fn unspaced_scripts_fall_back_to_graphemes() {
    // No spaces and no sentence ends: only grapheme boundaries are left.
    let cjk = "日本語のテキスト".repeat(80);
    let parts = split_into_thread(Network::Bluesky, &cjk).unwrap();
    assert_all_fit(Network::Bluesky, &parts);
    assert_eq!(unnumbered(&parts).concat(), cjk);

    // Bluesky's 3,000-byte cap binds before its 300 graphemes: ~115 families per part.
    let families = FAMILY.repeat(400);
    let parts = split_into_thread(Network::Bluesky, &families).unwrap();
    assert_all_fit(Network::Bluesky, &parts);
    assert_eq!(parts.len(), 4);
    for part in unnumbered(&parts) {
        assert_eq!(part.replace(FAMILY, ""), "", "a family emoji was cut");
    }
}

#[test]
fn numbering_widens_past_nine_parts() {
    let text = (0..60).map(sentence).collect::<Vec<_>>().join("\n\n");
    let parts = split_into_thread(Network::X, &text).unwrap();
    let total = parts.len();
    assert!(total >= 10);
    assert!(parts[0].ends_with(&format!(" (1/{total})")));
    assert!(parts[total - 1].ends_with(&format!(" ({total}/{total})")));
    assert_all_fit(Network::X, &parts);
}

#[test]
fn numbering_can_be_left_out() {
    let rules = NetworkRules::for_network(Network::Mastodon);
    let text = (0..30).map(sentence).collect::<Vec<_>>().join(" ");
    let parts = split_into_thread_with(&rules, &text, Numbering::None).unwrap();
    assert!(parts.len() > 1 && parts.iter().all(|part| !part.ends_with(')')));
    assert_eq!(non_whitespace(&parts.concat()), non_whitespace(&text));
}

#[test]
fn an_entity_longer_than_a_post_stands_alone() {
    let url = format!("https://example.com/{}", "a".repeat(400));
    let text = format!("Before. {url} After.");
    let parts = unnumbered(&split_into_thread(Network::Bluesky, &text).unwrap());
    assert_eq!(parts, vec!["Before.".to_owned(), url, "After.".to_owned()]);
}

/// Text made of the things that make splitting hard.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,12}".prop_map(String::from),
        2 => prop::sample::select(vec![" ", " ", " ", "\n", "\n\n", ". ", "! ", "? ", "。", ", "]).prop_map(String::from),
        1 => prop::sample::select(vec!["日本語", "한국어", "é", "e\u{301}", "👍🏽", FAMILY, "🇫🇷", "—", "…"]).prop_map(String::from),
        1 => "[a-z]{1,10}".prop_map(|w| format!(" https://example.com/{w} ")),
        1 => "[a-z]{1,10}".prop_map(|w| format!(" @{w} ")),
        1 => "[a-z]{1,10}".prop_map(|w| format!(" @{w}@mastodon.social ")),
        1 => "[a-z]{1,10}".prop_map(|w| format!(" #{w} ")),
        1 => "[a-z]{20,120}".prop_map(String::from),
    ]
}

fn long_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..400).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_part_fits_and_nothing_is_lost(text in long_text()) {
        for network in [Network::X, Network::Threads, Network::Mastodon, Network::Bluesky] {
            let parts = split_into_thread(network, &text).unwrap();
            let rules = NetworkRules::for_network(network);
            for part in &parts {
                prop_assert!(rules.text.fits(part), "{}: {:?} does not fit", network, part);
                prop_assert!(!part.is_empty() && part.trim() == part.as_str());
            }
            let bare = unnumbered(&parts);
            prop_assert_eq!(non_whitespace(&bare.concat()), non_whitespace(&text), "{} lost characters", network);
            // Every URL, mention and hashtag of the original survives whole in one part.
            for entity in entities::find(&text, Urls::WithOrWithoutScheme) {
                let whole = &text[entity.start..entity.end];
                prop_assert!(bare.iter().any(|part| part.contains(whole)), "{}: {:?} was cut", network, whole);
            }
        }
    }
}
