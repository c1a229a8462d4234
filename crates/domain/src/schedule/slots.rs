//! Weekly posting slots: the wall-clock times in a zone when a workspace likes to post, and the
//! search for the next one nobody has taken yet.

use jiff::civil::{self, Weekday};
use serde::{Deserialize, Serialize};

use super::zoned::{LocalDateTime, TimeZoneName, UnknownTimeZone, resolve, to_local};
use crate::Timestamp;

/// Posting slots repeating every week, as wall-clock times in one zone. Sorted by weekday
/// (Monday first) then time, without duplicates, never empty, and on whole minutes.
///
/// JSON form: `{"zone":"Europe/Berlin","slots":[{"day":"monday","time":"09:30"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SlotsJson", into = "SlotsJson")]
pub struct WeeklySlots {
    zone: TimeZoneName,
    slots: Vec<(Weekday, civil::Time)>,
}

/// Why a set of posting slots was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSlots {
    /// The zone is not an IANA zone.
    #[error(transparent)]
    Zone(#[from] UnknownTimeZone),
    /// No slots at all; "no slots" is the absence of a `WeeklySlots`, not an empty one.
    #[error("at least one posting slot is needed")]
    Empty,
    /// Not a lower-case English weekday name.
    #[error("invalid day {0:?}: expected monday … sunday")]
    Day(String),
    /// Not `HH:MM`, or not on a whole minute.
    #[error("invalid slot time {0:?}: expected HH:MM")]
    Time(String),
    /// The same weekday and time twice.
    #[error("duplicate posting slot {day} {time}")]
    Duplicate {
        /// Weekday name.
        day: String,
        /// `HH:MM`.
        time: String,
    },
}

impl WeeklySlots {
    /// How close (inclusive) a taken instant must be to a slot to occupy it. Slots are on whole
    /// minutes; a post stored at 09:30:20 still occupies the 09:30 slot.
    pub const TAKEN_WITHIN_SECONDS: i64 = 59;
    /// Longest search accepted by [`Self::next_free_slot`], in days (ten years); bounds the work.
    pub const MAX_HORIZON_DAYS: u32 = 3_660;

    /// Sorts the slots and checks them: at least one, whole minutes, no duplicates.
    pub fn new(zone: TimeZoneName, mut slots: Vec<(Weekday, civil::Time)>) -> Result<Self, InvalidSlots> {
        if slots.is_empty() {
            return Err(InvalidSlots::Empty);
        }
        if let Some((_, time)) = slots.iter().find(|(_, time)| time.second() != 0 || time.subsec_nanosecond() != 0) {
            return Err(InvalidSlots::Time(time.to_string()));
        }
        slots.sort_by_key(|&(day, time)| (day.to_monday_zero_offset(), time));
        if let Some(pair) = slots.windows(2).find(|pair| pair[0] == pair[1]) {
            let (day, time) = pair[0];
            return Err(InvalidSlots::Duplicate { day: day_name(day).to_owned(), time: format_time(time) });
        }
        Ok(Self { zone, slots })
    }

    /// The zone the slots are wall-clock times in.
    pub fn zone(&self) -> &TimeZoneName {
        &self.zone
    }

    /// The slots, Monday first, then by time.
    pub fn slots(&self) -> &[(Weekday, civil::Time)] {
        &self.slots
    }

    /// The first slot instant strictly after `after` and no more than `horizon_days` days later
    /// (capped at [`Self::MAX_HORIZON_DAYS`]) that is not within ±59 s of an instant in `taken`.
    ///
    /// Slots are resolved like [`resolve`]: a 02:30 slot on a spring-forward day is offered at
    /// 03:30, and on a fall-back day at the first 02:30.
    pub fn next_free_slot(&self, after: Timestamp, taken: &[Timestamp], horizon_days: u32) -> Option<Timestamp> {
        let horizon_seconds = i64::from(horizon_days.min(Self::MAX_HORIZON_DAYS)) * 86_400;
        let end = after.plus_seconds(horizon_seconds);
        let mut taken: Vec<i64> = taken.iter().map(Timestamp::as_millis).collect();
        taken.sort_unstable();
        let is_taken = |at: Timestamp| {
            let window = Self::TAKEN_WITHIN_SECONDS * 1_000;
            let first_close = taken.partition_point(|&t| t < at.as_millis() - window);
            taken.get(first_close).is_some_and(|&t| t <= at.as_millis() + window)
        };
        // Start a day early: a slot from the previous local day can be pushed past `after` by a gap.
        let mut day = to_local(after, &self.zone).date().yesterday().ok();
        let mut candidates = Vec::new();
        for _ in 0..=horizon_days.min(Self::MAX_HORIZON_DAYS) + 2 {
            let date = day?;
            candidates.clear();
            for &(_, time) in self.slots.iter().filter(|(weekday, _)| *weekday == date.weekday()) {
                candidates.push(resolve(LocalDateTime::new(date, time), &self.zone).at);
            }
            // A gap can push an early slot past a later one on the same day.
            candidates.sort_unstable();
            for &at in &candidates {
                if at > end {
                    return None;
                }
                if at > after && !is_taken(at) {
                    return Some(at);
                }
            }
            day = date.tomorrow().ok();
        }
        None
    }
}

/// The JSON shape, kept apart so the domain type only exists once checked.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotsJson {
    zone: String,
    slots: Vec<SlotJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotJson {
    day: String,
    time: String,
}

impl TryFrom<SlotsJson> for WeeklySlots {
    type Error = InvalidSlots;
    fn try_from(json: SlotsJson) -> Result<Self, Self::Error> {
        let zone = TimeZoneName::parse(&json.zone)?;
        let slots = json
            .slots
            .iter()
            .map(|slot| Ok((parse_day(&slot.day)?, parse_time(&slot.time)?)))
            .collect::<Result<Vec<_>, InvalidSlots>>()?;
        Self::new(zone, slots)
    }
}

impl From<WeeklySlots> for SlotsJson {
    fn from(slots: WeeklySlots) -> Self {
        Self {
            zone: slots.zone.as_str().to_owned(),
            slots: slots
                .slots
                .iter()
                .map(|&(day, time)| SlotJson { day: day_name(day).to_owned(), time: format_time(time) })
                .collect(),
        }
    }
}

const DAY_NAMES: [(Weekday, &str); 7] = [
    (Weekday::Monday, "monday"),
    (Weekday::Tuesday, "tuesday"),
    (Weekday::Wednesday, "wednesday"),
    (Weekday::Thursday, "thursday"),
    (Weekday::Friday, "friday"),
    (Weekday::Saturday, "saturday"),
    (Weekday::Sunday, "sunday"),
];

fn day_name(day: Weekday) -> &'static str {
    DAY_NAMES.iter().find(|(d, _)| *d == day).map_or("monday", |(_, name)| name)
}

fn parse_day(raw: &str) -> Result<Weekday, InvalidSlots> {
    DAY_NAMES
        .iter()
        .find(|(_, name)| *name == raw)
        .map(|(day, _)| *day)
        .ok_or_else(|| InvalidSlots::Day(raw.to_owned()))
}

/// Exactly `HH:MM` (24-hour).
fn parse_time(raw: &str) -> Result<civil::Time, InvalidSlots> {
    let invalid = || InvalidSlots::Time(raw.to_owned());
    let (hour, minute) = raw.split_once(':').ok_or_else(invalid)?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hour) || !two_digits(minute) {
        return Err(invalid());
    }
    let hour = hour.parse().map_err(|_| invalid())?;
    let minute = minute.parse().map_err(|_| invalid())?;
    civil::Time::new(hour, minute, 0, 0).map_err(|_| invalid())
}

fn format_time(time: civil::Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

#[cfg(test)]
#[path = "slots_tests.rs"]
mod tests;
