use proptest::prelude::*;

use super::*;
use crate::publishing::rules::MastodonInstanceLimits;

const FAMILY: &str = "👨\u{200D}👩\u{200D}👧\u{200D}👦"; // 7 code points, 25 bytes
const LONG_URL: &str = "https://example.com/articles/2026/11/a-very-long-path-that-goes-on-and-on?utm_source=zenalto";

#[test]
fn counts_the_way_each_network_does() {
    let url_sentence = format!("Read {LONG_URL} now");
    let cases: Vec<(Counting, &str, usize, &str)> = vec![
        // X: twitter-text v3 weights.
        (Counting::XWeighted, "hello", 5, "ASCII weighs 1"),
        (Counting::XWeighted, "你好", 4, "CJK weighs 2"),
        (Counting::XWeighted, "こんにちは世界", 14, "kana and kanji weigh 2"),
        (Counting::XWeighted, "한국어", 6, "Hangul weighs 2"),
        (Counting::XWeighted, "Ωμέγα", 5, "Greek is in the light range"),
        (Counting::XWeighted, "—", 1, "U+2014 is in the light U+2010–U+201F range"),
        (Counting::XWeighted, "…", 2, "U+2026 is outside every light range"),
        (Counting::XWeighted, FAMILY, 2, "a ZWJ emoji sequence weighs 2"),
        (Counting::XWeighted, "👍🏽", 2, "skin-tone modifier sequences weigh 2"),
        (Counting::XWeighted, "🇫🇷", 2, "flags weigh 2"),
        (Counting::XWeighted, "e\u{301}", 1, "NFC first: e + combining acute is é"),
        (Counting::XWeighted, LONG_URL, 23, "every URL weighs 23"),
        (Counting::XWeighted, &url_sentence, 5 + 23 + 4, "a long URL inside text"),
        (Counting::XWeighted, "zenalto.app", 23, "a bare domain with a known TLD is a URL too"),
        (Counting::XWeighted, "", 0, "empty"),
        (Counting::XWeighted, "café@bob", 8, "the twitter-text crate's default parser panics here"),
        // Bluesky: grapheme clusters.
        (Counting::Graphemes, FAMILY, 1, "a ZWJ family is one grapheme"),
        (Counting::Graphemes, "🇯🇵🇫🇷", 2, "each flag is one grapheme"),
        (Counting::Graphemes, "e\u{301}", 1, "base + combining mark"),
        (Counting::Graphemes, "한국어", 3, "precomposed Hangul"),
        (Counting::Graphemes, LONG_URL, LONG_URL.len(), "URLs count in full"),
        // Mastodon: graphemes, URLs 23, remote mentions count the username only.
        (Counting::Mastodon { chars_per_url: 23 }, LONG_URL, 23, "a URL counts 23"),
        (Counting::Mastodon { chars_per_url: 23 }, &url_sentence, 5 + 23 + 4, "a long URL inside text"),
        (Counting::Mastodon { chars_per_url: 23 }, "zenalto.app", 11, "no scheme: plain text"),
        (Counting::Mastodon { chars_per_url: 23 }, "hi @alice@mastodon.social", 9, "remote mention counts as @alice"),
        (Counting::Mastodon { chars_per_url: 23 }, "hi @alice", 9, "local mention counts in full"),
        (Counting::Mastodon { chars_per_url: 23 }, FAMILY, 1, "graphemes, not code points"),
        (Counting::Mastodon { chars_per_url: 30 }, LONG_URL, 30, "the reserved URL length is per server"),
        // Threads: characters, but an emoji counts its UTF-8 bytes.
        (Counting::ThreadsEmojiBytes, "hello", 5, "ASCII"),
        (Counting::ThreadsEmojiBytes, "日本", 2, "CJK counts 1 each"),
        (Counting::ThreadsEmojiBytes, "👍", 4, "a thumbs-up is 4 bytes"),
        (Counting::ThreadsEmojiBytes, "hi 👍", 7, "mixed"),
        (Counting::ThreadsEmojiBytes, "❤\u{FE0F}", 6, "emoji with presentation selector"),
        (Counting::ThreadsEmojiBytes, FAMILY, 25, "a family is 25 bytes"),
        (Counting::ThreadsEmojiBytes, "#\u{FE0F}\u{20E3}", 7, "keycap"),
        // Code units and bytes.
        (Counting::Utf16Units, "😀", 2, "astral characters take two UTF-16 units"),
        (Counting::Utf16Units, "𝐁𝐨𝐥𝐝", 8, "mathematical bold letters are astral"),
        (Counting::Utf16Units, "café", 4, "BMP"),
        (Counting::Utf8Bytes, "café", 5, "é is two bytes"),
        (Counting::CodePoints, FAMILY, 7, "code points"),
    ];
    for (counting, text, expected, why) in cases {
        assert_eq!(counting.measure(text), expected, "{counting:?} {text:?}: {why}");
    }
}

#[test]
fn count_reports_usage_against_the_networks_limit() {
    let cjk = "日".repeat(141);
    assert_eq!(count(Network::X, &cjk), TextLength { used: 282, limit: 280 });
    assert!(!count(Network::X, &cjk).fits());
    assert_eq!(count(Network::X, &cjk).over_by(), 2);
    assert_eq!(count(Network::Bluesky, &FAMILY.repeat(300)), TextLength { used: 300, limit: 300 });
    assert_eq!(count(Network::Mastodon, LONG_URL), TextLength { used: 23, limit: 500 });
    assert_eq!(count(Network::Mastodon, LONG_URL).remaining(), 477);
    assert_eq!(count(Network::Threads, "👍").limit, 500);
    assert_eq!(count(Network::Sandbox, "x").limit, 5_000);
}

#[test]
fn bluesky_also_caps_bytes_and_mastodon_servers_set_their_own_limit() {
    let bluesky = NetworkRules::for_network(Network::Bluesky).text;
    assert!(bluesky.fits(&FAMILY.repeat(120)), "120 × 25 bytes = 3,000 bytes");
    assert!(!bluesky.fits(&FAMILY.repeat(121)), "121 graphemes, but 3,025 bytes");
    let server = MastodonInstanceLimits {
        max_characters: 5_000,
        characters_reserved_per_url: 23,
        max_media_attachments: 4,
        image_size_limit: None,
        video_size_limit: None,
        supported_mime_types: None,
    };
    let long = "a".repeat(600);
    assert!(!count(Network::Mastodon, &long).fits());
    assert_eq!(count_with(&NetworkRules::for_mastodon_instance(&server).text, &long), TextLength { used: 600, limit: 5_000 });
}

/// Pieces that exercise every counter: scripts of both X weights, combining marks, ZWJ and
/// flag sequences, separators and sentence punctuation; no URL-like dots or colons.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "Z",
        "9",
        " ",
        "\n",
        "\n\n",
        "! ",
        "é",
        "e\u{301}",
        "ß",
        "Ω",
        "ж",
        "ع",
        "—",
        "…",
        "日",
        "本",
        "한",
        "ア",
        "👍",
        "👍🏽",
        FAMILY,
        "🇫🇷",
        "❤\u{FE0F}",
        "#tag",
        "@someone",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|pieces| pieces.concat())
}

/// Characters and fragments around which the twitter-text crate's parsers tripped: accents before
/// sigils, scheme and domain fragments, RT prefixes, full-width sigils, joiners and selectors.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        "9",
        " ",
        "\n",
        "é",
        "áa",
        "日",
        "한",
        "👍🏽",
        "🇫🇷",
        "@",
        "#",
        "$",
        ".",
        ":",
        "/",
        "http://",
        "https://",
        "www.",
        "example.com",
        ".co",
        "RT",
        "rt:",
        "-",
        "_",
        "＠",
        "＃",
        "\u{301}",
        "\u{200D}",
        "\u{FE0F}",
        "０",
        "١",
        "(",
        ")",
        "?",
        "'",
        "\u{FEFF}",
    ]);
    prop::collection::vec(prop_oneof![4 => pieces.prop_map(String::from), 1 => any::<char>().prop_map(String::from)], 0..80)
        .prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn every_counter_survives_hostile_text(text in hostile_text()) {
        for counting in [Counting::XWeighted, Counting::Mastodon { chars_per_url: 23 }, Counting::Graphemes, Counting::ThreadsEmojiBytes] {
            let _ = counting.measure(&text);
        }
        let _ = crate::publishing::entities::find(&text, crate::publishing::entities::Urls::WithOrWithoutScheme);
    }

    #[test]
    fn units_nest_for_any_string(text in any::<String>()) {
        let graphemes = Counting::Graphemes.measure(&text);
        let code_points = Counting::CodePoints.measure(&text);
        let utf16 = Counting::Utf16Units.measure(&text);
        let bytes = Counting::Utf8Bytes.measure(&text);
        prop_assert!(graphemes <= code_points && code_points <= utf16 && utf16 <= bytes);
        let threads = Counting::ThreadsEmojiBytes.measure(&text);
        prop_assert!(graphemes <= threads && threads <= bytes);
        // Never panics on arbitrary input, URLs or not.
        let _ = Counting::XWeighted.measure(&text);
        let _ = Counting::Mastodon { chars_per_url: 23 }.measure(&text);
    }

    #[test]
    fn x_weighs_every_grapheme_one_or_two(text in text()) {
        let weighted = Counting::XWeighted.measure(&text);
        let graphemes = Counting::Graphemes.measure(&text);
        prop_assert!(graphemes <= weighted, "{weighted} < {graphemes} graphemes");
        prop_assert!(weighted <= 2 * Counting::CodePoints.measure(&text));
    }

    #[test]
    fn x_and_mastodon_lengths_add_up_across_a_space(a in text(), b in text()) {
        let joined = format!("{a} {b}");
        for counting in [Counting::XWeighted, Counting::Graphemes, Counting::Mastodon { chars_per_url: 23 }, Counting::ThreadsEmojiBytes] {
            prop_assert_eq!(counting.measure(&joined), counting.measure(&a) + 1 + counting.measure(&b), "{:?}", counting);
        }
    }

    #[test]
    fn a_url_costs_the_same_whatever_its_length(path in "[a-z0-9/_-]{0,200}", before in text()) {
        let with = |url: &str| format!("{before} {url} end");
        let short = with("https://example.com/");
        let long = with(&format!("https://example.com/{path}"));
        prop_assert_eq!(Counting::XWeighted.measure(&short), Counting::XWeighted.measure(&long));
        let mastodon = Counting::Mastodon { chars_per_url: 23 };
        prop_assert_eq!(mastodon.measure(&short), mastodon.measure(&long));
    }

    #[test]
    fn a_mastodon_mention_domain_is_free(user in "[a-z][a-z0-9_]{0,15}", domain in "[a-z]{1,20}\\.(social|org|online)") {
        let mastodon = Counting::Mastodon { chars_per_url: 23 };
        prop_assert_eq!(mastodon.measure(&format!("hi @{user}@{domain}!")), mastodon.measure(&format!("hi @{user}!")));
    }
}
