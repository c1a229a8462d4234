#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::schedule::{Adjustment, Resolved};

fn ts(rfc3339: &str) -> Timestamp {
    Timestamp::parse_rfc3339(rfc3339).unwrap()
}

fn slots(json: &str) -> WeeklySlots {
    serde_json::from_str(json).unwrap()
}

fn berlin() -> WeeklySlots {
    slots(
        r#"{"zone":"Europe/Berlin","slots":[
            {"day":"sunday","time":"02:30"},
            {"day":"wednesday","time":"14:00"},
            {"day":"monday","time":"09:30"}
        ]}"#,
    )
}

#[test]
fn serializes_sorted_and_round_trips() {
    let parsed = berlin();
    let json = serde_json::to_string(&parsed).unwrap();
    assert_eq!(
        json,
        r#"{"zone":"Europe/Berlin","slots":[{"day":"monday","time":"09:30"},{"day":"wednesday","time":"14:00"},{"day":"sunday","time":"02:30"}]}"#
    );
    assert_eq!(serde_json::from_str::<WeeklySlots>(&json).unwrap(), parsed);
    assert_eq!(parsed.zone().as_str(), "Europe/Berlin");
    assert_eq!(parsed.slots()[0], (Weekday::Monday, civil::time(9, 30, 0, 0)));
}

#[test]
fn rejects_invalid_slots_table() {
    let cases = [
        (r#"{"zone":"Mars/Base","slots":[{"day":"monday","time":"09:30"}]}"#, "unknown time zone"),
        (r#"{"zone":"UTC","slots":[]}"#, "at least one posting slot"),
        (r#"{"zone":"UTC","slots":[{"day":"Monday","time":"09:30"}]}"#, "invalid day"),
        (r#"{"zone":"UTC","slots":[{"day":"mon","time":"09:30"}]}"#, "invalid day"),
        (r#"{"zone":"UTC","slots":[{"day":"monday","time":"9:30"}]}"#, "invalid slot time"),
        (r#"{"zone":"UTC","slots":[{"day":"monday","time":"24:00"}]}"#, "invalid slot time"),
        (r#"{"zone":"UTC","slots":[{"day":"monday","time":"09:30:00"}]}"#, "invalid slot time"),
        (r#"{"zone":"UTC","slots":[{"day":"monday","time":"+9:30"}]}"#, "invalid slot time"),
        (
            r#"{"zone":"UTC","slots":[{"day":"friday","time":"09:30"},{"day":"monday","time":"10:00"},{"day":"friday","time":"09:30"}]}"#,
            "duplicate posting slot friday 09:30",
        ),
        (r#"{"zone":"UTC","slots":[{"day":"monday","time":"09:30","extra":1}]}"#, "unknown field"),
        (r#"{"zone":"UTC"}"#, "missing field"),
    ];
    for (json, message) in cases {
        let err = serde_json::from_str::<WeeklySlots>(json).unwrap_err().to_string();
        assert!(err.contains(message), "{json}: {err}");
    }
}

#[test]
fn new_rejects_times_off_the_minute() {
    let zone = TimeZoneName::utc();
    let err = WeeklySlots::new(zone, vec![(Weekday::Monday, civil::time(9, 30, 15, 0))]).unwrap_err();
    assert_eq!(err, InvalidSlots::Time("09:30:15".into()));
}

#[test]
fn next_free_slot_table() {
    let ny = slots(
        r#"{"zone":"America/New_York","slots":[{"day":"sunday","time":"02:30"},{"day":"sunday","time":"01:30"}]}"#,
    );
    let lord_howe = slots(r#"{"zone":"Australia/Lord_Howe","slots":[{"day":"sunday","time":"02:15"}]}"#);
    let berlin = berlin();
    // (slots, after, taken, horizon days, expected)
    type Case<'a> = (&'a WeeklySlots, &'a str, Vec<&'a str>, u32, Option<&'a str>);
    let cases: Vec<Case> = vec![
        // Monday 2026-03-23 09:00 in Berlin (+01): the 09:30 slot the same morning.
        (&berlin, "2026-03-23T08:00:00Z", vec![], 7, Some("2026-03-23T08:30:00Z")),
        // Strictly after: sitting exactly on a slot moves to the next one.
        (&berlin, "2026-03-23T08:30:00Z", vec![], 7, Some("2026-03-25T13:00:00Z")),
        // Taken within ±59 s occupies the slot; 60 s away does not.
        (&berlin, "2026-03-23T08:00:00Z", vec!["2026-03-23T08:30:59Z"], 7, Some("2026-03-25T13:00:00Z")),
        (&berlin, "2026-03-23T08:00:00Z", vec!["2026-03-23T08:29:01Z"], 7, Some("2026-03-25T13:00:00Z")),
        (&berlin, "2026-03-23T08:00:00Z", vec!["2026-03-23T08:31:00Z"], 7, Some("2026-03-23T08:30:00Z")),
        (&berlin, "2026-03-23T08:00:00Z", vec!["2026-03-23T08:29:00Z"], 7, Some("2026-03-23T08:30:00Z")),
        // Sunday 29 March 02:30 does not exist in Berlin: offered at 03:30 CEST.
        (&berlin, "2026-03-25T13:00:00Z", vec![], 7, Some("2026-03-29T01:30:00Z")),
        // Sunday 25 October 02:30 happens twice: the first one (CEST).
        (&berlin, "2026-10-21T13:00:00Z", vec![], 7, Some("2026-10-25T00:30:00Z")),
        // …and once that is taken, the second 02:30 is not a slot: next is Monday.
        (&berlin, "2026-10-21T13:00:00Z", vec!["2026-10-25T00:30:00Z"], 7, Some("2026-10-26T08:30:00Z")),
        // The horizon bounds the search.
        (&berlin, "2026-03-23T08:30:00Z", vec![], 1, None),
        (&berlin, "2026-03-23T08:30:00Z", vec!["2026-03-25T13:00:00Z"], 3, None),
        (&berlin, "2026-03-23T08:30:00Z", vec![], 0, None),
        // New York, 8 March: 01:30 EST exists, 02:30 falls in the gap and becomes 03:30 EDT.
        (&ny, "2026-03-08T00:00:00Z", vec![], 7, Some("2026-03-08T06:30:00Z")),
        (&ny, "2026-03-08T06:30:00Z", vec![], 7, Some("2026-03-08T07:30:00Z")),
        // New York, 1 November: 01:30 twice (first, EDT), 02:30 EST once.
        (&ny, "2026-11-01T00:00:00Z", vec![], 7, Some("2026-11-01T05:30:00Z")),
        (&ny, "2026-11-01T05:30:00Z", vec![], 7, Some("2026-11-01T07:30:00Z")),
        // Lord Howe, 4 October: 02:15 is in the 30-minute gap and becomes 02:45 (+11).
        (&lord_howe, "2026-10-01T00:00:00Z", vec![], 7, Some("2026-10-03T15:45:00Z")),
    ];
    for (slots, after, taken, horizon, expected) in cases {
        let taken: Vec<Timestamp> = taken.into_iter().map(ts).collect();
        let found = slots.next_free_slot(ts(after), &taken, horizon);
        assert_eq!(found, expected.map(ts), "{} after {after} taken {taken:?}", slots.zone());
    }
}

#[test]
fn skips_a_run_of_taken_slots() {
    let daily = slots(
        r#"{"zone":"UTC","slots":[
            {"day":"monday","time":"12:00"},{"day":"tuesday","time":"12:00"},{"day":"wednesday","time":"12:00"},
            {"day":"thursday","time":"12:00"},{"day":"friday","time":"12:00"}
        ]}"#,
    );
    let taken: Vec<Timestamp> =
        ["2026-01-05T12:00:10Z", "2026-01-06T11:59:30Z", "2026-01-07T12:00:00Z"].map(ts).to_vec();
    assert_eq!(daily.next_free_slot(ts("2026-01-05T00:00:00Z"), &taken, 30), Some(ts("2026-01-08T12:00:00Z")));
    // Friday's slot is taken too: the weekend has none, so Monday.
    let mut more = taken.clone();
    more.extend([ts("2026-01-08T12:00:00Z"), ts("2026-01-09T12:00:00Z")]);
    assert_eq!(daily.next_free_slot(ts("2026-01-05T00:00:00Z"), &more, 30), Some(ts("2026-01-12T12:00:00Z")));
}

const ZONES: [&str; 4] = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"];

prop_compose! {
    fn any_slots()(
        zone_index in 0..ZONES.len(),
        raw in proptest::collection::btree_set((0i8..7, 0i8..24, 0i8..60), 1..10),
    ) -> WeeklySlots {
        let slots = raw
            .into_iter()
            .map(|(day, hour, minute)| (Weekday::from_monday_zero_offset(day).unwrap(), civil::time(hour, minute, 0, 0)))
            .collect();
        WeeklySlots::new(TimeZoneName::parse(ZONES[zone_index]).unwrap(), slots).unwrap()
    }
}

/// Every slot instant in `(after, until]`, ascending.
fn slot_instants(slots: &WeeklySlots, after: Timestamp, until: Timestamp) -> Vec<Timestamp> {
    let mut day = to_local(after, slots.zone()).date().yesterday().unwrap();
    let mut found = Vec::new();
    while day <= to_local(until, slots.zone()).date() {
        for &(weekday, time) in slots.slots() {
            if weekday == day.weekday() {
                found.push(resolve(LocalDateTime::new(day, time), slots.zone()).at);
            }
        }
        day = day.tomorrow().unwrap();
    }
    found.sort();
    found.dedup();
    found.retain(|at| *at > after && *at <= until);
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn next_free_slot_is_the_first_untaken_slot(
        slots in any_slots(),
        after_offset in 0i64..3 * 365 * 86_400,
        taken_picks in proptest::collection::vec(any::<proptest::sample::Index>(), 0..12),
        jitter in proptest::collection::vec(-59i64..=59, 12),
        horizon in 1u32..40,
    ) {
        let after = ts("2025-01-01T00:00:00Z").plus_seconds(after_offset);
        let until = after.plus_seconds(i64::from(horizon) * 86_400);
        let candidates = slot_instants(&slots, after, until);
        // Occupy some of the real slot instants, each nudged by up to ±59 s.
        let taken: Vec<Timestamp> = if candidates.is_empty() {
            Vec::new()
        } else {
            taken_picks.iter().zip(&jitter).map(|(pick, nudge)| pick.get(&candidates).plus_seconds(*nudge)).collect()
        };
        let occupied = |at: &Timestamp| taken.iter().any(|t| (t.as_millis() - at.as_millis()).abs() <= 59_000);
        let expected = candidates.iter().copied().find(|at| !occupied(at));
        let found = slots.next_free_slot(after, &taken, horizon);
        prop_assert_eq!(found, expected);
        if let Some(at) = found {
            prop_assert!(at > after && !occupied(&at));
            // It is a slot: its weekday and wall-clock time are one of the slots, or it is a slot
            // moved forward out of a DST gap.
            let local = to_local(at, slots.zone());
            let exact = slots.slots().contains(&(local.date().weekday(), local.time()));
            let shifted = slots.slots().iter().any(|&(weekday, time)| {
                local.date().weekday() == weekday
                    && matches!(resolve(LocalDateTime::new(local.date(), time), slots.zone()), Resolved { at: shifted_at, adjustment: Adjustment::Gap { .. } } if shifted_at == at)
            });
            prop_assert!(exact || shifted, "{} is not a slot", local);
        }
    }
}
