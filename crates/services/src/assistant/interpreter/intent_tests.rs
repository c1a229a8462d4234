//! Unit cases of `intent`, kept apart so the module stays short.

use super::*;
use jiff::civil::{Time, date};

fn today() -> Date {
    date(2026, 12, 1)
}

#[test]
fn drafting_requests_name_count_tone_topic_and_networks() {
    assert_eq!(
        parse("write three friendly posts about our spring sale for LinkedIn and Bluesky", today()),
        Intent::Draft { topic: "our spring sale".into(), count: 3, networks: vec![Network::LinkedIn, Network::Bluesky], style: Some(Style::Casual) }
    );
    assert_eq!(
        parse("Draft a post about the Q3 webinar on X", today()),
        Intent::Draft { topic: "the Q3 webinar".into(), count: 1, networks: vec![Network::X], style: None }
    );
    assert_eq!(parse("write 2 posts about our new menu", today()), Intent::Draft { topic: "our new menu".into(), count: 2, networks: vec![], style: None });
}

#[test]
fn scheduling_requests_name_the_post_and_the_time() {
    let nine = Some(Time::new(9, 0, 0, 0).unwrap());
    match parse("schedule it tomorrow at 9am", today()) {
        Intent::Schedule { post: PostRef::It, when } => assert_eq!(when.time, nine),
        other => panic!("{other:?}"),
    }
    match parse("schedule the second one on friday at 9am", today()) {
        Intent::Schedule { post: PostRef::Nth(2), .. } => {}
        other => panic!("{other:?}"),
    }
    match parse("move the post about the webinar to Friday", today()) {
        Intent::Reschedule { post: PostRef::About(words), when } => {
            assert_eq!(words, vec!["webinar".to_owned()]);
            assert!(when.day.is_some() && when.time.is_none());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(parse("cancel the post about the webinar", today()), Intent::Cancel { post: PostRef::About(vec!["webinar".into()]) });
    assert_eq!(parse("add it to the queue", today()), Intent::Queue { post: PostRef::It });
    assert_eq!(parse("schedule it", today()), Intent::Schedule { post: PostRef::It, when: When::default() });
}

#[test]
fn questions_are_told_apart() {
    assert!(matches!(parse("what is on the calendar next week", today()), Intent::Calendar { range } if range.start == date(2026, 12, 7)));
    assert!(matches!(parse("how did my posts do last week", today()), Intent::Performance { range } if range.end == date(2026, 11, 30)));
    assert_eq!(parse("show my accounts", today()), Intent::Accounts);
    assert_eq!(parse("suggest hashtags for it", today()), Intent::Hashtags { post: PostRef::It });
    assert_eq!(parse("make it shorter", today()), Intent::Rewrite { post: PostRef::It, style: Style::Shorten });
    assert_eq!(parse("find the post about the bakery opening", today()), Intent::Find { words: vec!["bakery".into(), "opening".into()] });
    assert!(matches!(parse("when should I post on Mastodon", today()), Intent::BestTime { network: Some(Network::Mastodon) }));
    assert!(matches!(parse("delete the post about the webinar", today()), Intent::Unsupported(_)));
    assert_eq!(parse("sing me a song", today()), Intent::Unknown);
}
