//! Unit cases of `when`, kept apart so the module stays short.

use super::*;
use jiff::civil::date;

/// Tuesday 1 December 2026.
fn today() -> Date {
    date(2026, 12, 1)
}

fn at(h: i8, m: i8) -> Option<Time> {
    Some(Time::new(h, m, 0, 0).unwrap())
}

#[test]
fn days_and_times_are_read_from_plain_english() {
    let cases = [
        ("schedule it tomorrow at 9am", Some(date(2026, 12, 2)), at(9, 0)),
        ("tomorrow at 9 am", Some(date(2026, 12, 2)), at(9, 0)),
        ("move it to Friday", Some(date(2026, 12, 4)), None),
        ("on tuesday at 14:30", Some(date(2026, 12, 8)), at(14, 30)),
        ("Friday at 5pm", Some(date(2026, 12, 4)), at(17, 0)),
        ("today at 12am", Some(date(2026, 12, 1)), at(0, 0)),
        ("at 12pm", None, at(12, 0)),
        ("on 5 December at 10", Some(date(2026, 12, 5)), at(10, 0)),
        ("December 24th at noon", Some(date(2026, 12, 24)), at(12, 0)),
        // A date already past this year is next year's.
        ("on jan 3 at 8:15", Some(date(2027, 1, 3)), at(8, 15)),
        ("2026-12-10T09:00 please", Some(date(2026, 12, 10)), at(9, 0)),
        ("on 2026-12-10 at 9.45pm", Some(date(2026, 12, 10)), at(21, 45)),
        ("tomorrow morning", Some(date(2026, 12, 2)), at(9, 0)),
        ("the post about 3 things", None, None),
    ];
    for (text, day, time) in cases {
        let when = parse_when(text, today());
        let got_day = when.day.map(|d| day_date(d, today()));
        assert_eq!((got_day, when.time), (day, time), "{text}");
    }
}

#[test]
fn a_move_without_a_time_keeps_the_time_of_day() {
    let when = parse_when("move the post about the webinar to Friday", today());
    assert_eq!(when.resolve(today(), at(15, 0)), Some((date(2026, 12, 4), Time::new(15, 0, 0, 0).unwrap())));
    assert_eq!(parse_when("schedule it on friday", today()).resolve(today(), None), None, "no time: ask");
}

#[test]
fn the_same_weekday_means_next_week() {
    assert_eq!(day_date(Day::Weekday(Weekday::Tuesday), today()), date(2026, 12, 8));
}

#[test]
fn ranges_follow_monday_weeks_and_months() {
    let cases = [
        ("what is on the calendar next week", date(2026, 12, 7), date(2026, 12, 14)),
        ("what's planned this week?", date(2026, 11, 30), date(2026, 12, 7)),
        ("how did my posts do last week", date(2026, 11, 23), date(2026, 11, 30)),
        ("how did we do last month", date(2026, 11, 1), date(2026, 12, 1)),
        ("calendar for the next 3 days", date(2026, 12, 1), date(2026, 12, 4)),
        ("what is on today", date(2026, 12, 1), date(2026, 12, 2)),
        ("what is on the calendar", date(2026, 12, 1), date(2026, 12, 8)),
    ];
    for (text, start, end) in cases {
        assert_eq!(parse_range(text, today()), Range { start, end }, "{text}");
    }
}
