//! The schedule optimizer, a pure function: from ranked candidate slots, pick `count` times in
//! the requested week that keep a minimum gap from each other and from what the account already
//! has scheduled or awaiting approval, spreading posts over the days before doubling up.
//!
//! Where the candidates come from is [`candidates`]'s job, kept apart so the ranking can be
//! swapped (best time to post from engagement history) without touching the rules here.

use jiff::civil::{Date, Time, Weekday};
use serde::Serialize;
use zenalto_domain::{
    Timestamp,
    schedule::{LocalDateTime, TimeZoneName, WeeklySlots, resolve, to_local},
};

/// A time the account could post at, and how good it is (higher is better).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub at: Timestamp,
    pub score: f64,
    pub why: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Spacing {
    /// No two posts of the account closer than this.
    pub min_gap_minutes: i64,
    /// At most this many posts a day while other days are free.
    pub per_day: usize,
}

impl Spacing {
    /// Four hours apart, and posts spread evenly over the seven days.
    pub fn for_week(count: usize) -> Self {
        Spacing { min_gap_minutes: 240, per_day: count.div_ceil(7).max(1) }
    }
}

/// A chosen time and why.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    pub at: Timestamp,
    pub local_time: String,
    pub why: String,
}

/// Picks up to `count` slots in `[from, to)`, best candidates first, then returns them in time
/// order. Fewer come back when the rules leave fewer free times.
pub fn choose(
    candidates: &[Candidate],
    occupied: &[Timestamp],
    count: usize,
    from: Timestamp,
    to: Timestamp,
    spacing: &Spacing,
    zone: &TimeZoneName,
) -> Vec<Slot> {
    let gap = spacing.min_gap_minutes * 60_000;
    let clear = |at: Timestamp, others: &[Timestamp]| others.iter().all(|o| (o.as_millis() - at.as_millis()).abs() >= gap);
    let mut ranked: Vec<&Candidate> = candidates.iter().filter(|c| c.at >= from && c.at < to && clear(c.at, occupied)).collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.at.cmp(&b.at)));
    let day = |at: Timestamp| to_local(at, zone).date();
    let mut chosen: Vec<&Candidate> = Vec::new();
    // First pass keeps the per-day cap; the second lifts it when the week has too few days left.
    for capped in [true, false] {
        for candidate in &ranked {
            if chosen.len() >= count {
                break;
            }
            let times: Vec<Timestamp> = chosen.iter().map(|c| c.at).collect();
            let same_day = chosen.iter().filter(|c| day(c.at) == day(candidate.at)).count();
            if !times.contains(&candidate.at) && clear(candidate.at, &times) && (!capped || same_day < spacing.per_day) {
                chosen.push(candidate);
            }
        }
    }
    chosen.sort_by_key(|c| c.at);
    chosen
        .into_iter()
        .map(|c| Slot {
            at: c.at,
            local_time: to_local(c.at, zone).to_string(),
            why: format!("{} (score {:.2}); at least {} h from the account's other posts", c.why, c.score, spacing.min_gap_minutes / 60),
        })
        .collect()
}

/// The seven dates of the week starting at `start`.
/// Hours of the week asked of best time to post: enough for a busy week's spacing rules.
pub const BEST_TIMES: usize = 40;

/// Candidates from best time to post: each ranked hour of the week on its day of this week.
pub fn from_best_times(best: &crate::ai::BestTimes, start: Date, zone: &TimeZoneName) -> Vec<Candidate> {
    let mut out = Vec::new();
    for slot in &best.slots {
        let Some(date) = week(start).into_iter().find(|d| d.weekday().to_monday_zero_offset() as u8 == slot.weekday) else { continue };
        let Ok(time) = Time::new(slot.hour as i8, 0, 0, 0) else { continue };
        let at = resolve(LocalDateTime::new(date, time), zone).at;
        let why = format!(
            "best time: {:?} {:02}:00 {zone}, {:.2}× the account's average from {} of its posts there ({}, confidence {:.0} %)",
            date.weekday(),
            slot.hour,
            slot.score,
            slot.posts,
            best.source,
            slot.confidence * 100.0
        );
        out.push(Candidate { at, score: slot.score, why });
    }
    out
}

fn week(start: Date) -> Vec<Date> {
    std::iter::successors(Some(start), |d| d.tomorrow().ok()).take(7).collect()
}

/// The interim spread, used until best time to post ranks an account's slots from its own
/// engagement: 09:00, 12:00, 15:00 and 17:00 local, weekdays before weekends — Tuesday to
/// Thursday 1.0, Monday and Friday 0.9, Saturday and Sunday 0.6 — times the hour's weight
/// (09:00 1.0, 12:00 0.95, 17:00 0.9, 15:00 0.8).
const INTERIM_HOURS: [(i8, f64); 4] = [(9, 1.0), (12, 0.95), (17, 0.9), (15, 0.8)];

fn day_weight(day: Weekday) -> f64 {
    match day {
        Weekday::Tuesday | Weekday::Wednesday | Weekday::Thursday => 1.0,
        Weekday::Monday | Weekday::Friday => 0.9,
        Weekday::Saturday | Weekday::Sunday => 0.6,
    }
}

/// Candidate slots for one account's week: its own posting slots when it has some (all
/// ranked alike, earlier in the week first), else the interim spread in `zone`.
pub fn candidates(slots: Option<&WeeklySlots>, start: Date, zone: &TimeZoneName) -> Vec<Candidate> {
    let mut out = Vec::new();
    match slots {
        Some(slots) => {
            for date in week(start) {
                for &(weekday, time) in slots.slots().iter().filter(|(d, _)| *d == date.weekday()) {
                    let at = resolve(LocalDateTime::new(date, time), slots.zone()).at;
                    out.push(Candidate { at, score: 1.0, why: format!("the account's posting slot {weekday:?} {time} ({})", slots.zone()) });
                }
            }
        }
        None => {
            for date in week(start) {
                for (hour, weight) in INTERIM_HOURS {
                    let Ok(time) = Time::new(hour, 0, 0, 0) else {
                        continue;
                    };
                    let at = resolve(LocalDateTime::new(date, time), zone).at;
                    let score = day_weight(date.weekday()) * weight;
                    out.push(Candidate {
                        at,
                        score,
                        why: format!("interim spread: {:?} {hour:02}:00 {zone}, no posting slots or engagement history yet", date.weekday()),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn monday() -> Date {
        Date::new(2026, 12, 7).unwrap()
    }

    fn bounds(zone: &TimeZoneName) -> (Timestamp, Timestamp) {
        let from = resolve(LocalDateTime::new(monday(), Time::midnight()), zone).at;
        let to = resolve(LocalDateTime::new(Date::new(2026, 12, 14).unwrap(), Time::midnight()), zone).at;
        (from, to)
    }

    #[test]
    fn spreads_over_distinct_days_keeps_the_gap_and_avoids_taken_times() {
        let zone = TimeZoneName::parse("Europe/Berlin").unwrap();
        let (from, to) = bounds(&zone);
        let all = candidates(None, monday(), &zone);
        assert_eq!(all.len(), 28);
        // Tuesday 09:00 is the best candidate; make it taken.
        let taken = all.iter().max_by(|a, b| a.score.total_cmp(&b.score).then(b.at.cmp(&a.at))).unwrap().at;
        let chosen = choose(&all, &[taken], 5, from, to, &Spacing::for_week(5), &zone);
        assert_eq!(chosen.len(), 5);
        let days: std::collections::HashSet<Date> = chosen.iter().map(|s| to_local(s.at, &zone).date()).collect();
        assert_eq!(days.len(), 5, "one a day while days are free: {chosen:?}");
        for s in &chosen {
            assert!((s.at.as_millis() - taken.as_millis()).abs() >= 4 * 3_600_000, "{s:?} too close to the taken post");
            assert!(s.at >= from && s.at < to);
        }
        assert!(chosen.windows(2).all(|w| w[0].at < w[1].at), "in time order");
        // Weekdays are preferred to the weekend.
        assert!(chosen.iter().all(|s| !matches!(to_local(s.at, &zone).date().weekday(), Weekday::Saturday | Weekday::Sunday)), "{chosen:?}");
    }

    #[test]
    fn more_posts_than_days_double_up_but_never_closer_than_the_gap() {
        let zone = TimeZoneName::utc();
        let (from, to) = bounds(&zone);
        let chosen = choose(&candidates(None, monday(), &zone), &[], 12, from, to, &Spacing::for_week(12), &zone);
        assert_eq!(chosen.len(), 12);
        assert!(chosen.windows(2).all(|w| w[1].at.as_millis() - w[0].at.as_millis() >= 4 * 3_600_000), "{chosen:?}");
        // 28 candidates but 12:00/15:00 and 15:00/17:00 are closer than 4 h: at most 2 a day fit.
        let too_many = choose(&candidates(None, monday(), &zone), &[], 20, from, to, &Spacing::for_week(20), &zone);
        assert_eq!(too_many.len(), 14, "the rules leave two per day");
    }

    #[test]
    fn posting_slots_are_the_candidates_when_the_account_has_them() {
        let slots: WeeklySlots = serde_json::from_value(
            serde_json::json!({ "zone": "America/New_York", "slots": [{ "day": "wednesday", "time": "10:30" }, { "day": "friday", "time": "08:15" }] }),
        )
        .unwrap();
        let zone = TimeZoneName::parse("America/New_York").unwrap();
        let (from, to) = bounds(&zone);
        let chosen = choose(&candidates(Some(&slots), monday(), &zone), &[], 3, from, to, &Spacing::for_week(3), &zone);
        let local: Vec<String> = chosen.iter().map(|s| s.local_time.clone()).collect();
        assert_eq!(local, ["2026-12-09T10:30:00", "2026-12-11T08:15:00"], "only the two slots exist");
    }
}
