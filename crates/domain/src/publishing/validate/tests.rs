use std::collections::BTreeSet;

use super::*;
use crate::publishing::media::{MediaFacts, MediaKind};
use crate::publishing::report::{Severity, codes};
use crate::publishing::rules::MastodonInstanceLimits;
use crate::publishing::table::{GB, MB, MINUTE, SECOND};

use Severity::{Error, Suggestion, Warning};

fn media(kind: MediaKind, mime: &str, bytes: u64, size: (u32, u32), duration_ms: Option<u64>) -> MediaFacts {
    MediaFacts {
        kind,
        bytes,
        width: Some(size.0),
        height: Some(size.1),
        duration_ms,
        mime: mime.to_owned(),
        alt_text: Some("A described picture".to_owned()),
    }
}

fn jpeg(size: (u32, u32)) -> MediaFacts {
    media(MediaKind::Image, "image/jpeg", 900_000, size, None)
}

fn mp4(seconds: u64, size: (u32, u32)) -> MediaFacts {
    media(MediaKind::Video, "video/mp4", 50 * MB, size, Some(seconds * SECOND))
}

fn gif(bytes: u64) -> MediaFacts {
    media(MediaKind::Gif, "image/gif", bytes, (480, 270), None)
}

fn with_media(text: &str, items: Vec<MediaFacts>) -> Draft {
    Draft { media: items, ..Draft::text(text) }
}

fn words(n: usize, word: &str) -> String {
    vec![word; n].join(" ")
}

struct Case {
    name: &'static str,
    network: Network,
    draft: Draft,
    expected: Vec<(&'static str, Severity, &'static str)>,
}

fn case(name: &'static str, network: Network, draft: Draft, expected: Vec<(&'static str, Severity, &'static str)>) -> Case {
    Case { name, network, draft, expected }
}

fn cases() -> Vec<Case> {
    let x_312 = format!("{} {}", "a".repeat(200), "日".repeat(55)); // 200 + 1 + 110 = 311 weighted
    let x_312 = format!("{x_312}!");
    vec![
        case("a fine X post", Network::X, Draft::text("Shipping Zenalto 1.0 today 🎉 https://zenalto.app/blog/launch"), vec![]),
        case(
            "X counts CJK double",
            Network::X,
            Draft::text(x_312),
            vec![(codes::TEXT_TOO_LONG, Error, "text"), (codes::SPLIT_INTO_THREAD, Suggestion, "text")],
        ),
        case("nothing at all", Network::Mastodon, Draft::text("  "), vec![(codes::POST_EMPTY, Error, "text")]),
        case("X refuses U+FEFF", Network::X, Draft::text("hi\u{FEFF}"), vec![(codes::TEXT_INVALID_CHARACTERS, Error, "text")]),
        case("X hashtag guidance", Network::X, Draft::text("#one #two #three"), vec![(codes::HASHTAGS_ABOVE_RECOMMENDED, Warning, "text")]),
        case(
            "Instagram needs media",
            Network::Instagram,
            Draft::text("No picture"),
            vec![(codes::MEDIA_REQUIRED, Error, "media"), (codes::ADD_HASHTAG, Suggestion, "text")],
        ),
        case(
            "Instagram hashtag and mention caps",
            Network::Instagram,
            with_media(&format!("{} {}", words(31, "#tag"), words(21, "@someone")), vec![jpeg((1080, 1080))]),
            vec![(codes::TOO_MANY_HASHTAGS, Error, "text"), (codes::TOO_MANY_MENTIONS, Error, "text")],
        ),
        case(
            "Instagram caption links are dead",
            Network::Instagram,
            with_media("Shop at https://zenalto.app #sale", vec![jpeg((1080, 1350))]),
            vec![(codes::LINKS_NOT_CLICKABLE, Warning, "text")],
        ),
        case(
            "Instagram images: type, ratio, width, kind, alt text",
            Network::Instagram,
            with_media(
                "#gallery",
                vec![
                    media(MediaKind::Image, "image/png", MB, (1080, 1080), None),
                    jpeg((1080, 1920)),
                    jpeg((2000, 2000)),
                    gif(MB),
                    MediaFacts { alt_text: None, ..jpeg((1080, 1080)) },
                ],
            ),
            vec![
                (codes::MEDIA_TYPE_NOT_ALLOWED, Error, "media[0]"),
                (codes::ASPECT_RATIO_OUT_OF_RANGE, Error, "media[1]"),
                (codes::WIDTH_OUT_OF_RANGE, Warning, "media[2]"),
                (codes::MEDIA_KIND_NOT_ALLOWED, Error, "media[3]"),
                (codes::ADD_ALT_TEXT, Suggestion, "media[4]"),
            ],
        ),
        case(
            "Instagram carousel of 11",
            Network::Instagram,
            with_media("#eleven", vec![jpeg((1080, 1080)); 11]),
            vec![(codes::TOO_MANY_MEDIA, Error, "media")],
        ),
        case(
            "X video length, size and frame",
            Network::X,
            with_media("clips", vec![media(MediaKind::Video, "video/mp4", 9 * GB, (1920, 1080), Some(21 * MINUTE))]),
            vec![
                (codes::VIDEO_TOO_LARGE, Error, "media[0]"),
                (codes::VIDEO_TOO_LONG, Error, "media[0]"),
                (codes::WIDTH_OUT_OF_RANGE, Error, "media[0]"),
                (codes::HEIGHT_OUT_OF_RANGE, Error, "media[0]"),
            ],
        ),
        case(
            "X video too short and too wide",
            Network::X,
            with_media("clip", vec![media(MediaKind::Video, "video/mp4", MB, (1280, 400), Some(300))]),
            vec![(codes::VIDEO_TOO_SHORT, Error, "media[0]"), (codes::ASPECT_RATIO_OUT_OF_RANGE, Error, "media[0]")],
        ),
        case(
            "X: a video goes alone, one at a time",
            Network::X,
            with_media("two clips", vec![mp4(30, (1280, 720)), mp4(30, (1280, 720))]),
            vec![
                (codes::TOO_MANY_MEDIA, Error, "media"),
                (codes::MEDIA_MUST_BE_ALONE, Error, "media[0]"),
                (codes::MEDIA_MUST_BE_ALONE, Error, "media[1]"),
            ],
        ),
        case(
            "X image and GIF sizes",
            Network::X,
            with_media("pics", vec![media(MediaKind::Image, "image/webp", 6 * MB, (1200, 675), None)]),
            vec![(codes::IMAGE_TOO_LARGE, Error, "media[0]")],
        ),
        case("X GIF size", Network::X, with_media("loop", vec![gif(16 * MB)]), vec![(codes::GIF_TOO_LARGE, Error, "media[0]")]),
        case(
            "LinkedIn pixel cap and link shape",
            Network::LinkedIn,
            Draft { link: Some("zenalto.app".to_owned()), ..with_media("Big picture", vec![jpeg((8000, 6000))]) },
            vec![(codes::TOO_MANY_PIXELS, Error, "media[0]"), (codes::LINK_INVALID, Error, "link")],
        ),
        case(
            "Threads link cap counts the attached link",
            Network::Threads,
            Draft {
                link: Some("https://f.example.com".to_owned()),
                ..Draft::text("a.example.com b.example.com c.example.com d.example.com e.example.com")
            },
            vec![(codes::TOO_MANY_LINKS, Error, "text")],
        ),
        case(
            "Bluesky counts graphemes",
            Network::Bluesky,
            Draft::text("x".repeat(301)),
            vec![(codes::TEXT_TOO_LONG, Error, "text"), (codes::SPLIT_INTO_THREAD, Suggestion, "text")],
        ),
        case(
            "Bluesky also caps bytes",
            Network::Bluesky,
            Draft::text("👨\u{200D}👩\u{200D}👧\u{200D}👦".repeat(200)),
            vec![(codes::TEXT_TOO_MANY_BYTES, Error, "text"), (codes::SPLIT_INTO_THREAD, Suggestion, "text")],
        ),
        case(
            "Bluesky alt text",
            Network::Bluesky,
            with_media(
                "pics",
                vec![
                    MediaFacts { alt_text: None, ..jpeg((800, 600)) },
                    MediaFacts { alt_text: Some("a".repeat(1_001)), ..jpeg((800, 600)) },
                ],
            ),
            vec![(codes::ADD_ALT_TEXT, Suggestion, "media[0]"), (codes::ALT_TEXT_TOO_LONG, Error, "media[1].alt_text")],
        ),
        case(
            "YouTube title and description (unconfirmed limits warn)",
            Network::YouTube,
            Draft { title: Some(format!("<{}", "t".repeat(100))), ..with_media("See > there", vec![mp4(60, (1920, 1080))]) },
            vec![
                (codes::TEXT_INVALID_CHARACTERS, Warning, "text"),
                (codes::TITLE_TOO_LONG, Warning, "title"),
                (codes::TITLE_INVALID_CHARACTERS, Warning, "title"),
            ],
        ),
        case(
            "YouTube wants a title and a video",
            Network::YouTube,
            with_media("desc", vec![jpeg((1080, 1080))]),
            vec![(codes::MEDIA_KIND_NOT_ALLOWED, Error, "media[0]"), (codes::TITLE_REQUIRED, Warning, "title")],
        ),
        case(
            "fields the network lacks",
            Network::X,
            Draft { title: Some("Title".into()), link: Some("https://zenalto.app".into()), ..Draft::text("hello") },
            vec![(codes::TITLE_NOT_SUPPORTED, Warning, "title"), (codes::LINK_NOT_SUPPORTED, Warning, "link")],
        ),
        case(
            "TikTok has no first comment",
            Network::TikTok,
            Draft { first_comment: Some("link in bio".into()), ..with_media("#dance", vec![mp4(30, (1080, 1920))]) },
            vec![(codes::FIRST_COMMENT_NOT_SUPPORTED, Warning, "first_comment")],
        ),
        case(
            "a first comment is a reply on X",
            Network::X,
            Draft { first_comment: Some("c".repeat(281)), ..Draft::text("hello") },
            vec![(codes::FIRST_COMMENT_TOO_LONG, Error, "first_comment")],
        ),
        case("Mastodon discovery", Network::Mastodon, Draft::text("Hello fediverse"), vec![(codes::ADD_HASHTAG, Suggestion, "text")]),
        case(
            "Facebook's length is unconfirmed, so it only warns",
            Network::Facebook,
            Draft::text("a".repeat(70_000)),
            vec![(codes::TEXT_TOO_LONG, Warning, "text")],
        ),
        case(
            "a complete YouTube upload",
            Network::YouTube,
            Draft { title: Some("Launch day".into()), ..with_media("What we built", vec![mp4(120, (1920, 1080))]) },
            vec![],
        ),
    ]
}

#[test]
fn drafts_get_exactly_the_expected_issues() {
    for case in cases() {
        let report = validate(case.network, &case.draft);
        let found: BTreeSet<(&str, Severity, String)> =
            report.issues.iter().map(|issue| (issue.code, issue.severity, issue.field.clone())).collect();
        let expected: BTreeSet<(&str, Severity, String)> =
            case.expected.iter().map(|&(code, severity, field)| (code, severity, field.to_owned())).collect();
        assert_eq!(found, expected, "{}: {:#?}", case.name, report.issues);
        assert_eq!(report.blocks_scheduling(), case.expected.iter().any(|issue| issue.1 == Error), "{}", case.name);
    }
}

#[test]
fn every_issue_code_is_exercised() {
    let mut seen = BTreeSet::new();
    for case in cases() {
        seen.extend(validate(case.network, &case.draft).issues.into_iter().map(|issue| issue.code));
    }
    let unused: Vec<&&str> = codes::ALL.iter().filter(|code| !seen.contains(**code)).collect();
    assert!(unused.is_empty(), "codes no test produces: {unused:?}");
}

#[test]
fn messages_carry_the_numbers() {
    let text = format!("{}{}", "a".repeat(200), "日".repeat(56)); // 200 + 112
    let report = validate(Network::X, &Draft::text(text));
    assert_eq!(report.issues[0].message, "X counts 312 of 280 characters; remove 32.");

    let video = with_media("clip", vec![mp4(21 * 60, (1280, 720))]);
    let report = validate(Network::X, &video);
    assert_eq!(report.issues[0].message, "This video lasts 21 min; X accepts up to 20 min.");

    let report = validate(Network::Instagram, &with_media("#a", vec![jpeg((1080, 1920))]));
    assert_eq!(
        report.issues[0].message,
        "This image is 1080×1920; Instagram accepts aspect ratios from 4:5 (tallest) to 1.91:1 (widest), so it would be refused or cropped."
    );

    let report = validate(Network::Facebook, &Draft::text("a".repeat(63_207)));
    assert!(report.issues[0].message.ends_with("(this limit is not confirmed, so the post may still go through)"));
}

#[test]
fn services_can_validate_against_a_mastodon_servers_limits() {
    let long = format!("#rust {}", "a".repeat(600));
    assert!(validate(Network::Mastodon, &Draft::text(&long)).blocks_scheduling());
    let server = MastodonInstanceLimits {
        max_characters: 5_000,
        characters_reserved_per_url: 23,
        max_media_attachments: 8,
        image_size_limit: Some(16 * MB),
        video_size_limit: Some(99 * MB),
        supported_mime_types: Some(vec!["image/jpeg".into(), "video/mp4".into()]),
    };
    let rules = NetworkRules::for_mastodon_instance(&server);
    assert!(validate_with(&rules, &Draft::text(&long)).issues.is_empty());
    let big = with_media("#pics", vec![media(MediaKind::Image, "image/png", 17 * MB, (100, 100), None)]);
    let report = validate_with(&rules, &big);
    assert!(report.has(codes::IMAGE_TOO_LARGE) && report.has(codes::MEDIA_TYPE_NOT_ALLOWED));
}

#[test]
fn services_can_relax_a_figure_for_one_account() {
    let long_video = with_media("talk", vec![mp4(90 * 60, (1280, 720))]);
    assert!(validate(Network::X, &long_video).has(codes::VIDEO_TOO_LONG));
    let mut premium = NetworkRules::for_network(Network::X);
    for kind in &mut premium.media.kinds {
        if kind.kind == MediaKind::Video {
            kind.duration_ms = Some(crate::publishing::Fact::official(
                crate::publishing::Bounds::between(SECOND / 2, 125 * MINUTE),
                "https://docs.x.com/x-api/media/quickstart/best-practices",
            ));
        }
    }
    assert!(validate_with(&premium, &long_video).issues.is_empty());
}
