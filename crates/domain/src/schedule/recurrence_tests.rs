#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::schedule::zoned::to_jiff;

fn zone(name: &str) -> TimeZoneName {
    TimeZoneName::parse(name).unwrap()
}

fn recurrence(zone_name: &str, dtstart: &str, rule: &str) -> Recurrence {
    Recurrence::parse(rule, LocalDateTime::parse(dtstart).unwrap(), zone(zone_name)).unwrap()
}

fn ts(rfc3339: &str) -> Timestamp {
    Timestamp::parse_rfc3339(rfc3339).unwrap()
}

/// An instant as wall-clock time with offset in `zone`, e.g. `2026-03-29T03:30+02:00`.
fn shown(at: Timestamp, zone: &TimeZoneName) -> String {
    to_jiff(at).to_zoned(zone.time_zone().clone()).strftime("%Y-%m-%dT%H:%M%:z").to_string()
}

fn first(r: &Recurrence, limit: usize) -> Vec<String> {
    let all = r.occurrences_between(Timestamp::from_millis(i64::MIN), Timestamp::from_millis(i64::MAX), limit);
    all.iter().map(|&at| shown(at, r.zone())).collect()
}

#[test]
fn expands_rules_in_local_time_table() {
    // (zone, DTSTART, rule, first occurrences as local time with offset)
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // 09:00 stays 09:00 while Berlin moves from +01 to +02.
        ("Europe/Berlin", "2026-03-27T09:00", "FREQ=DAILY;COUNT=4", &[
            "2026-03-27T09:00+01:00", "2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00",
        ]),
        // 02:30 does not exist on 29 March: moved by the gap to 03:30, then back to 02:30.
        ("Europe/Berlin", "2026-03-28T02:30", "FREQ=DAILY;COUNT=3", &[
            "2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00",
        ]),
        // 02:30 exists twice on 25 October: the earlier (summer-time) one, once.
        ("Europe/Berlin", "2026-10-24T02:30", "FREQ=DAILY;COUNT=3", &[
            "2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00",
        ]),
        ("America/New_York", "2026-03-01T02:30", "FREQ=WEEKLY;BYDAY=SU;COUNT=3", &[
            "2026-03-01T02:30-05:00", "2026-03-08T03:30-04:00", "2026-03-15T02:30-04:00",
        ]),
        ("America/New_York", "2026-10-31T09:00", "FREQ=DAILY;COUNT=3", &[
            "2026-10-31T09:00-04:00", "2026-11-01T09:00-05:00", "2026-11-02T09:00-05:00",
        ]),
        ("America/New_York", "2026-10-31T01:30", "FREQ=DAILY;COUNT=3", &[
            "2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00",
        ]),
        // Lord Howe's gap is 30 minutes long.
        ("Australia/Lord_Howe", "2026-10-03T02:15", "FREQ=DAILY;COUNT=3", &[
            "2026-10-03T02:15+10:30", "2026-10-04T02:45+11:00", "2026-10-05T02:15+11:00",
        ]),
        ("Australia/Lord_Howe", "2026-04-04T01:45", "FREQ=DAILY;COUNT=3", &[
            "2026-04-04T01:45+11:00", "2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30",
        ]),
        // HOURLY walks the wall clock: the missing 02:00 lands on 03:00 and is not posted twice…
        ("Europe/Berlin", "2026-03-29T00:00", "FREQ=HOURLY;COUNT=4", &[
            "2026-03-29T00:00+01:00", "2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00",
        ]),
        // …and the repeated 02:00 is posted once.
        ("Europe/Berlin", "2026-10-25T00:00", "FREQ=HOURLY;COUNT=4", &[
            "2026-10-25T00:00+02:00", "2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00", "2026-10-25T03:00+01:00",
        ]),
        // Every 5 wall-clock hours from 08:00 meets 08:00 again only after 5 days.
        ("Europe/Berlin", "2026-01-05T08:00", "FREQ=HOURLY;INTERVAL=5;BYHOUR=8,13,18;COUNT=4", &[
            "2026-01-05T08:00+01:00", "2026-01-05T13:00+01:00", "2026-01-05T18:00+01:00", "2026-01-10T08:00+01:00",
        ]),
        ("Europe/Berlin", "2026-01-05T08:15", "FREQ=DAILY;INTERVAL=3;BYHOUR=18,9;COUNT=4", &[
            "2026-01-05T09:15+01:00", "2026-01-05T18:15+01:00", "2026-01-08T09:15+01:00", "2026-01-08T18:15+01:00",
        ]),
        ("Europe/Berlin", "2026-01-06T09:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=45;COUNT=5", &[
            "2026-01-06T10:45+01:00", "2026-01-08T10:45+01:00", "2026-01-20T10:45+01:00", "2026-01-22T10:45+01:00",
            "2026-02-03T10:45+01:00",
        ]),
        // BYDAY ordinals within the month.
        ("Europe/Berlin", "2026-01-01T09:00", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=17;BYMINUTE=0;COUNT=4", &[
            "2026-01-30T17:00+01:00", "2026-02-27T17:00+01:00", "2026-03-27T17:00+01:00", "2026-04-24T17:00+02:00",
        ]),
        ("Europe/Berlin", "2026-01-01T09:00", "FREQ=MONTHLY;BYDAY=1MO;COUNT=3", &[
            "2026-01-05T09:00+01:00", "2026-02-02T09:00+01:00", "2026-03-02T09:00+01:00",
        ]),
        ("Europe/Berlin", "2026-01-01T09:00", "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE,-2WE;COUNT=4", &[
            "2026-01-14T09:00+01:00", "2026-01-21T09:00+01:00", "2026-03-11T09:00+01:00", "2026-03-18T09:00+01:00",
        ]),
        // The 31st only in months that have one; the last day via -1.
        ("Europe/Berlin", "2026-01-31T09:00", "FREQ=MONTHLY;COUNT=4", &[
            "2026-01-31T09:00+01:00", "2026-03-31T09:00+02:00", "2026-05-31T09:00+02:00", "2026-07-31T09:00+02:00",
        ]),
        ("Europe/Berlin", "2026-01-15T09:00", "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", &[
            "2026-01-31T09:00+01:00", "2026-02-28T09:00+01:00", "2026-03-31T09:00+02:00",
        ]),
        ("Europe/Berlin", "2026-01-01T12:00", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=3", &[
            "2026-02-13T12:00+01:00", "2026-03-13T12:00+01:00", "2026-11-13T12:00+01:00",
        ]),
        ("Europe/Berlin", "2026-01-01T12:00", "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=1;COUNT=3", &[
            "2026-06-01T12:00+02:00", "2026-12-01T12:00+01:00", "2027-06-01T12:00+02:00",
        ]),
        // 29 February only in leap years.
        ("Europe/Berlin", "2024-02-29T09:00", "FREQ=YEARLY;COUNT=3", &[
            "2024-02-29T09:00+01:00", "2028-02-29T09:00+01:00", "2032-02-29T09:00+01:00",
        ]),
        // US Thanksgiving; the EU's last Sunday of March (a DST day, at its missing hour).
        ("America/New_York", "2026-01-01T10:00", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3", &[
            "2026-11-26T10:00-05:00", "2027-11-25T10:00-05:00", "2028-11-23T10:00-05:00",
        ]),
        ("Europe/Berlin", "2026-01-01T02:30", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=2", &[
            "2026-03-29T03:30+02:00", "2027-03-28T03:30+02:00",
        ]),
        // Without BYMONTH a YEARLY ordinal counts within the year.
        ("Europe/Berlin", "2026-01-01T09:00", "FREQ=YEARLY;BYDAY=1MO,-1MO;COUNT=3", &[
            "2026-01-05T09:00+01:00", "2026-12-28T09:00+01:00", "2027-01-04T09:00+01:00",
        ]),
        ("Europe/Berlin", "2026-01-01T09:00", "FREQ=YEARLY;BYMONTHDAY=1;BYMONTH=1,7;COUNT=3", &[
            "2026-01-01T09:00+01:00", "2026-07-01T09:00+02:00", "2027-01-01T09:00+01:00",
        ]),
        // DTSTART that does not match the rule is not an occurrence.
        ("Europe/Berlin", "2026-01-07T09:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=2", &[
            "2026-01-12T09:00+01:00", "2026-01-19T09:00+01:00",
        ]),
        // UNTIL is inclusive, in each of its three forms.
        ("Europe/Berlin", "2026-03-27T09:00", "FREQ=DAILY;UNTIL=20260330T070000Z", &[
            "2026-03-27T09:00+01:00", "2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00",
        ]),
        ("Europe/Berlin", "2026-03-27T09:00", "FREQ=DAILY;UNTIL=20260329", &[
            "2026-03-27T09:00+01:00", "2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00",
        ]),
        ("Europe/Berlin", "2026-03-27T09:00", "FREQ=DAILY;UNTIL=20260329T090000", &[
            "2026-03-27T09:00+01:00", "2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00",
        ]),
        ("Europe/Berlin", "2026-03-27T09:00", "FREQ=DAILY;UNTIL=20260329T085959", &[
            "2026-03-27T09:00+01:00", "2026-03-28T09:00+01:00",
        ]),
        ("Europe/Berlin", "2026-03-27T09:00", "FREQ=DAILY;UNTIL=20260301", &[]),
    ];
    for (zone_name, dtstart, rule, expected) in cases {
        let r = recurrence(zone_name, dtstart, rule);
        assert_eq!(first(&r, 50), *expected, "{zone_name} {dtstart} {rule}");
    }
}

#[test]
fn matches_rfc_5545_examples() {
    // Section 3.8.5.3, all with DTSTART;TZID=America/New_York.
    let ny = "America/New_York";
    let dates = |r: &Recurrence, limit| -> Vec<String> { first(r, limit).iter().map(|s| s[..10].to_owned()).collect() };

    let r = recurrence(ny, "1997-09-30T09:00", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1");
    assert_eq!(
        dates(&r, 20),
        [
            "1997-09-30",
            "1997-10-01",
            "1997-10-31",
            "1997-11-01",
            "1997-11-30",
            "1997-12-01",
            "1997-12-31",
            "1998-01-01",
            "1998-01-31",
            "1998-02-01"
        ]
    );

    let r = recurrence(ny, "1997-09-22T09:00", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO");
    assert_eq!(dates(&r, 20), ["1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"]);

    let r = recurrence(ny, "1997-09-02T09:00", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13");
    assert_eq!(dates(&r, 5), ["1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"]);

    let r = recurrence(ny, "1997-05-12T09:00", "FREQ=YEARLY;BYDAY=20MO");
    assert_eq!(dates(&r, 3), ["1997-05-19", "1998-05-18", "1999-05-17"]);

    let r = recurrence(ny, "1997-03-13T09:00", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH");
    assert_eq!(
        dates(&r, 7),
        ["1997-03-13", "1997-03-20", "1997-03-27", "1998-03-05", "1998-03-12", "1998-03-19", "1998-03-26"]
    );

    // WKST changes which days share an INTERVAL=2 week.
    let r = recurrence(ny, "1997-08-05T09:00", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO");
    assert_eq!(dates(&r, 10), ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"]);
    let r = recurrence(ny, "1997-08-05T09:00", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU");
    assert_eq!(dates(&r, 10), ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"]);

    let r = recurrence(ny, "1997-09-01T09:00", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR");
    let all = dates(&r, 100);
    assert_eq!((all.len(), all[0].as_str(), all[24].as_str()), (25, "1997-09-01", "1997-12-22"));
    // The time zone changes on 26 October 1997 and the wall-clock time does not.
    assert!(first(&r, 100).iter().all(|s| s[11..16] == *"09:00"));
}

#[test]
fn count_is_numbered_from_dtstart_even_when_querying_later() {
    let r = recurrence("Europe/Berlin", "2026-01-01T09:00", "FREQ=DAILY;COUNT=5");
    let later = r.occurrences_between(ts("2026-01-04T00:00:00Z"), ts("2027-01-01T00:00:00Z"), 10);
    assert_eq!(later, [ts("2026-01-04T08:00:00Z"), ts("2026-01-05T08:00:00Z")]);
    assert_eq!(r.next_after(ts("2026-01-05T08:00:00Z")), None);
}

#[test]
fn range_bounds_are_inclusive_and_limit_is_respected() {
    let r = recurrence("UTC", "2026-01-01T09:00", "FREQ=DAILY");
    let (from, to) = (ts("2026-01-02T09:00:00Z"), ts("2026-01-04T09:00:00Z"));
    assert_eq!(r.occurrences_between(from, to, 10), [from, ts("2026-01-03T09:00:00Z"), to]);
    assert_eq!(r.occurrences_between(from, to, 2).len(), 2);
    assert!(r.occurrences_between(from, to, 0).is_empty());
    assert!(r.occurrences_between(to, from, 10).is_empty());
    let before_start = r.occurrences_between(ts("2025-01-01T00:00:00Z"), ts("2026-01-01T09:00:00Z"), 10);
    assert_eq!(before_start, [ts("2026-01-01T09:00:00Z")]);
}

#[test]
fn next_after_is_strict() {
    let r = recurrence("Europe/Berlin", "2026-03-28T09:00", "FREQ=DAILY");
    for (after, next) in [
        ("2020-01-01T00:00:00Z", "2026-03-28T08:00:00Z"),
        ("2026-03-28T07:59:59.999Z", "2026-03-28T08:00:00Z"),
        ("2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z"),
        ("2026-03-29T06:00:00Z", "2026-03-29T07:00:00Z"),
        ("2036-06-01T12:00:00Z", "2036-06-02T07:00:00Z"),
    ] {
        assert_eq!(r.next_after(ts(after)), Some(ts(next)), "after {after}");
    }
}

#[test]
fn endless_rules_jump_to_the_queried_range() {
    // Starts in 2000 with no COUNT: a query in 2090 must not walk 90 years of days (and would
    // exceed MAX_PERIODS_SCANNED for the hourly rule if it did).
    let daily = recurrence("Europe/Berlin", "2000-01-03T09:00", "FREQ=DAILY;INTERVAL=3");
    let found = daily.occurrences_between(ts("2090-07-01T00:00:00Z"), ts("2090-07-10T00:00:00Z"), 10);
    assert_eq!(found.len(), 3);
    let hourly = recurrence("Europe/Berlin", "2000-01-03T09:00", "FREQ=HOURLY;INTERVAL=7");
    let next = hourly.next_after(ts("2090-07-01T00:00:00Z")).unwrap();
    let hours_since_start = (next.as_millis() - resolve(hourly.dtstart(), hourly.zone()).at.as_millis()) / 3_600_000;
    // Whole wall-clock hours are multiples of 7 (± the one DST hour the offset differs by).
    assert!([0, 1, 6].contains(&(hours_since_start % 7)), "{hours_since_start}");
}

#[test]
fn rules_that_never_match_stop_at_the_work_cap() {
    for rule in [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
    ] {
        let r = recurrence("Europe/Berlin", "2026-01-01T09:00", rule);
        assert_eq!(r.next_after(ts("2026-01-01T00:00:00Z")), None, "{rule}");
    }
}

#[test]
fn rejects_rules_that_fire_more_than_hourly() {
    let start = LocalDateTime::parse("2026-01-01T09:00").unwrap();
    for (rule, expected) in [
        ("FREQ=MINUTELY", RecurrenceError::TooFrequent("MINUTELY".into())),
        ("RRULE:FREQ=SECONDLY;INTERVAL=3600", RecurrenceError::TooFrequent("SECONDLY".into())),
        ("FREQ=DAILY;BYHOUR=9;BYMINUTE=0,15,30,45", RecurrenceError::SeveralMinutesPerHour),
    ] {
        assert_eq!(Recurrence::parse(rule, start, zone("UTC")), Err(expected), "{rule}");
    }
    let err = Recurrence::parse("FREQ=MINUTELY", start, zone("UTC")).unwrap_err();
    assert!(err.to_string().contains("more often than hourly"), "{err}");
}

#[test]
fn keeps_normalised_rule_text_and_anchor() {
    let r = recurrence("europe/berlin", "2026-01-01T09:00", " rrule:freq=daily;count=3; ");
    assert_eq!(r.rule_text(), "FREQ=DAILY;COUNT=3");
    assert_eq!(r.dtstart().to_string(), "2026-01-01T09:00:00");
    assert_eq!(r.zone().as_str(), "Europe/Berlin");
}

#[test]
fn variations_rotate_round_robin() {
    for (index, variations, expected) in
        [(0, 3, 0), (1, 3, 1), (2, 3, 2), (3, 3, 0), (7, 3, 1), (5, 1, 0), (4, 0, 0), (usize::MAX, 2, 1)]
    {
        assert_eq!(variation_for(index, variations), expected, "{index} of {variations}");
    }
}

const ZONES: [&str; 6] =
    ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia", "UTC"];

prop_compose! {
    /// Rules across every frequency and part; only combinations RFC 5545 allows.
    fn any_rule()(
        freq in 0usize..5,
        interval in 1u32..4,
        hours in proptest::collection::btree_set(0u8..24, 0..4),
        minute in proptest::option::of(0u8..60),
        weekdays in proptest::collection::btree_set(0usize..7, 0..3),
        ordinal in proptest::option::of(prop_oneof![1i8..=4, -4i8..=-1]),
        month_days in proptest::collection::btree_set(prop_oneof![1i8..=31, -31i8..=-1], 0..3),
        months in proptest::collection::btree_set(1u8..=12, 0..3),
        count in proptest::option::of(1u32..40),
    ) -> String {
        let freq_name = ["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"][freq];
        let mut parts = vec![format!("FREQ={freq_name}"), format!("INTERVAL={interval}")];
        let join = |items: Vec<String>| items.join(",");
        if !hours.is_empty() {
            parts.push(format!("BYHOUR={}", join(hours.iter().map(u8::to_string).collect())));
        }
        if let Some(minute) = minute {
            parts.push(format!("BYMINUTE={minute}"));
        }
        if !weekdays.is_empty() {
            let codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
            let ordinal = if freq >= 3 { ordinal.map(|n| n.to_string()).unwrap_or_default() } else { String::new() };
            parts.push(format!("BYDAY={}", join(weekdays.iter().map(|&d| format!("{ordinal}{}", codes[d])).collect())));
        }
        if !month_days.is_empty() && freq != 2 {
            parts.push(format!("BYMONTHDAY={}", join(month_days.iter().map(i8::to_string).collect())));
        }
        if !months.is_empty() {
            parts.push(format!("BYMONTH={}", join(months.iter().map(u8::to_string).collect())));
        }
        if let Some(count) = count {
            parts.push(format!("COUNT={count}"));
        }
        parts.join(";")
    }
}

prop_compose! {
    fn any_recurrence()(
        rule in any_rule(),
        zone_index in 0..ZONES.len(),
        day in 0i64..730,
        minute_of_day in 0i64..1440,
        second in 0i8..60,
    ) -> Recurrence {
        let date = add_days(civil::date(2025, 1, 1), day).unwrap();
        let time = civil::Time::new(i8::try_from(minute_of_day / 60).unwrap(), i8::try_from(minute_of_day % 60).unwrap(), second, 0).unwrap();
        Recurrence::parse(&rule, LocalDateTime::new(date, time), zone(ZONES[zone_index])).unwrap()
    }
}

/// A window somewhere between 2024 and 2029, up to 200 days long.
fn any_window() -> impl Strategy<Value = (Timestamp, Timestamp)> {
    (0i64..5 * 365 * 86_400, 0i64..200 * 86_400).prop_map(|(offset, length)| {
        let from = ts("2024-06-01T00:00:00Z").plus_seconds(offset);
        (from, from.plus_seconds(length))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn occurrences_are_strictly_increasing_and_within_the_window(
        r in any_recurrence(), (from, to) in any_window(), limit in 1usize..60,
    ) {
        let found = r.occurrences_between(from, to, limit);
        prop_assert!(found.len() <= limit);
        prop_assert!(found.windows(2).all(|pair| pair[0] < pair[1]), "{:?}", found);
        prop_assert!(found.iter().all(|at| (from..=to).contains(at)), "{:?}", found);
    }

    #[test]
    fn jumping_ahead_finds_what_walking_from_dtstart_finds(r in any_recurrence(), (from, to) in any_window()) {
        let walked: Vec<Timestamp> = r
            .occurrences_between(Timestamp::from_millis(i64::MIN), to, usize::MAX)
            .into_iter()
            .filter(|at| *at >= from)
            .collect();
        prop_assert_eq!(r.occurrences_between(from, to, usize::MAX), walked);
    }

    #[test]
    fn next_after_agrees_with_occurrences_between(r in any_recurrence(), (from, _) in any_window()) {
        let next = r.next_after(from);
        let listed = r.occurrences_between(from.plus_seconds(0), Timestamp::from_millis(i64::MAX), 2);
        let expected = listed.into_iter().find(|at| *at > from);
        prop_assert_eq!(next, expected);
    }

    #[test]
    fn whole_hour_dst_zones_never_post_twice_within_an_hour(
        r in any_recurrence().prop_filter("whole-hour DST", |r| r.zone().as_str() != "Australia/Lord_Howe"),
        (from, to) in any_window(),
    ) {
        let found = r.occurrences_between(from, to, 500);
        prop_assert!(found.windows(2).all(|pair| pair[1].as_millis() - pair[0].as_millis() >= 3_600_000), "{:?}", found);
    }
}
