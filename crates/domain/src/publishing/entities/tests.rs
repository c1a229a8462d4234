use super::*;

fn found(text: &str, urls: Urls) -> Vec<(EntityKind, &str)> {
    find(text, urls).into_iter().map(|e| (e.kind, &text[e.start..e.end])).collect()
}

use EntityKind::{Hashtag, Mention, Url};

#[test]
fn finds_entities_as_byte_ranges_around_multibyte_text() {
    let text = "é👍 see https://example.com/a, zenalto.app #Rust #日本 @ada @bob@mastodon.social";
    assert_eq!(
        found(text, Urls::WithOrWithoutScheme),
        vec![
            (Url, "https://example.com/a"),
            (Url, "zenalto.app"),
            (Hashtag, "#Rust"),
            (Hashtag, "#日本"),
            (Mention, "@ada"),
            (Mention, "@bob@mastodon.social"),
        ]
    );
    assert_eq!(of_kind(text, Urls::WithSchemeOnly, Url), vec!["https://example.com/a"]);
}

#[test]
fn urls_are_recognised_the_way_twitter_text_does() {
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("https://example.com", vec!["https://example.com"]),
        ("HTTP://EXAMPLE.COM/A", vec!["HTTP://EXAMPLE.COM/A"]),
        (
            "(see https://en.wikipedia.org/wiki/Rust_(programming_language))",
            vec!["https://en.wikipedia.org/wiki/Rust_(programming_language)"],
        ),
        ("Go to https://zenalto.app/pricing.", vec!["https://zenalto.app/pricing"]),
        ("https://example.com/search?q=a&b=c#frag!", vec!["https://example.com/search?q=a&b=c#frag"]),
        ("https://ja.wikipedia.org/wiki/日本。次", vec!["https://ja.wikipedia.org/wiki/日本"]),
        ("http://192.168.1.1:8080/x", vec!["http://192.168.1.1:8080/x"]),
        ("https://xn--bcher-kva.example", vec!["https://xn--bcher-kva.example"]),
        ("www.example.co.uk/path and example.com:8080", vec!["www.example.co.uk/path", "example.com:8080"]),
        ("main.rs is a Serbian domain, node.js is not", vec!["main.rs"]),
        ("e.g. i.e. U.S. v1.2 Mr.Smith file.txt", vec![]),
        ("mail bob@example.com or @example.com", vec![]),
        ("https://localhost and http:// alone", vec![]),
        ("abc.https://example.com", vec![]),
    ];
    for (text, expected) in cases {
        assert_eq!(of_kind(text, Urls::WithOrWithoutScheme, Url), expected, "{text:?}");
    }
    assert_eq!(of_kind("zenalto.app and https://a.io", Urls::WithSchemeOnly, Url), vec!["https://a.io"]);
}

#[test]
fn mentions_and_hashtags_need_a_word_boundary() {
    let cases: Vec<(&str, Vec<(EntityKind, &str)>)> = vec![
        ("@ada, @bob_99: hi", vec![(Mention, "@ada"), (Mention, "@bob_99")]),
        ("＠ada ＃tag", vec![(Mention, "＠ada"), (Hashtag, "＃tag")]),
        ("café@bob éa@someone a@b", vec![]),
        ("@jane.doe. @user@host no-domain@", vec![(Mention, "@jane.doe"), (Mention, "@user")]),
        ("@alice@mastodon.social!", vec![(Mention, "@alice@mastodon.social")]),
        (
            "#Rust, #日本語 #1 #2024goals #e\u{301}t\u{e9}",
            vec![(Hashtag, "#Rust"), (Hashtag, "#日本語"), (Hashtag, "#2024goals"), (Hashtag, "#e\u{301}t\u{e9}")],
        ),
        ("a#b &#39; #️⃣ # alone", vec![]),
    ];
    for (text, expected) in cases {
        assert_eq!(found(text, Urls::WithOrWithoutScheme), expected, "{text:?}");
    }
}

#[test]
fn straddling_finds_the_entity_a_position_cuts() {
    let text = "a https://x.io b #tag";
    let all = find(text, Urls::WithOrWithoutScheme);
    assert_eq!(straddling(&all, 0), None);
    assert_eq!(straddling(&all, 2), None, "the start of an entity does not cut it");
    assert_eq!(straddling(&all, 5).map(|e| e.kind), Some(Url));
    assert_eq!(straddling(&all, 16), None, "the end does not either");
    assert_eq!(straddling(&all, 19).map(|e| e.kind), Some(Hashtag));
    assert_eq!(straddling(&all, text.len()), None);
}
