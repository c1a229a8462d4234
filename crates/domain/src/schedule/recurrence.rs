//! Expansion of a recurrence rule into UTC instants. Occurrences are built as wall-clock times in
//! the rule's zone and only then resolved (see [`resolve`]), so "every day at 09:00
//! Europe/Berlin" stays at 09:00 local while its UTC offset changes with DST.
//!
//! Why not the `rrule` crate: 0.14 emits the same instant twice for an HOURLY rule across a
//! spring-forward gap (rust-rrule issue #115), silently drops occurrences on days whose midnight
//! falls in a gap (e.g. America/Santiago), and brings chrono plus a second copy of the tz
//! database that could disagree with jiff's. The subset a scheduler needs is small enough to own.

use jiff::{
    SignedDuration,
    civil::{self, Weekday},
};

use super::{
    rrule::{DayRule, Frequency, RecurrenceError, Rule, Until},
    zoned::{LocalDateTime, TimeZoneName, resolve, to_local},
};
use crate::Timestamp;

/// A recurrence rule anchored at a local start (DTSTART) in an IANA zone.
///
/// Semantics follow RFC 5545 for the supported subset, with these choices:
/// - DTSTART is the anchor and lower bound; it is an occurrence only if it matches the rule (as
///   in python-dateutil and rrule.js), so `FREQ=WEEKLY;BYDAY=MO` from a Wednesday starts on the
///   next Monday.
/// - Wall-clock times in a DST gap move forward by the gap; ambiguous ones take the earlier
///   instant ([`resolve`]). Occurrences are strictly increasing: a shifted time that lands on or
///   before the previous occurrence is dropped rather than posted twice.
/// - Dates that do not exist (31 April, 29 February in common years) are skipped, not moved.
/// - At most one occurrence per local clock hour (see [`RecurrenceError::TooFrequent`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    rule: Rule,
    text: String,
    dtstart: LocalDateTime,
    zone: TimeZoneName,
    start_at: Timestamp,
    until: Option<Timestamp>,
    /// Whether a BYDAY ordinal (`-1FR`) counts within the month rather than within the year.
    ordinal_in_month: bool,
}

impl Recurrence {
    /// Upper bound on the periods (hours, days, weeks, months or years) one query examines, so a
    /// rule that can never match (`FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31`) costs milliseconds, not a
    /// scan to the year 9999. 100 000 periods is 11 years of an HOURLY rule, 270 of a DAILY one.
    /// WEEKLY, MONTHLY and YEARLY rules stop sooner, after one 400-year Gregorian cycle: the
    /// calendar repeats after it, so a rule silent for a whole cycle is silent forever.
    pub const MAX_PERIODS_SCANNED: u32 = 100_000;

    /// Parses `rule` (`FREQ=...`, optionally prefixed by `RRULE:`) anchored at `dtstart`, a
    /// wall-clock time in `zone`.
    pub fn parse(rule: &str, dtstart: LocalDateTime, zone: TimeZoneName) -> Result<Self, RecurrenceError> {
        let mut parsed = Rule::parse(rule)?;
        let ordinal_in_month = parsed.freq == Frequency::Monthly || !parsed.by_month.is_empty();
        fill_implicit_parts(&mut parsed, dtstart);
        let upper = rule.trim().to_ascii_uppercase();
        let text = upper.strip_prefix("RRULE:").unwrap_or(&upper).trim_end_matches(';').to_owned();
        let until = parsed.until.map(|until| resolve_until(until, &zone));
        let start_at = resolve(dtstart, &zone).at;
        Ok(Self { rule: parsed, text, dtstart, zone, start_at, until, ordinal_in_month })
    }

    /// The rule text, upper-cased, without `RRULE:`.
    pub fn rule_text(&self) -> &str {
        &self.text
    }

    /// The local start the rule is anchored at.
    pub fn dtstart(&self) -> LocalDateTime {
        self.dtstart
    }

    /// The zone occurrences are computed in.
    pub fn zone(&self) -> &TimeZoneName {
        &self.zone
    }

    /// Occurrences in `[from, to]` (both inclusive), ascending, at most `limit` of them.
    ///
    /// Work is bounded by `limit` and [`Self::MAX_PERIODS_SCANNED`], so an endless rule (no
    /// COUNT or UNTIL) is fine to query over any range.
    pub fn occurrences_between(&self, from: Timestamp, to: Timestamp, limit: usize) -> Vec<Timestamp> {
        let mut found = Vec::new();
        let to = self.until.map_or(to, |until| to.min(until));
        let from = from.max(self.start_at);
        if limit == 0 || from > to {
            return found;
        }
        // COUNT numbers occurrences from DTSTART, so it must be walked from there; otherwise
        // start one period before `from` (offsets can move a period's instants across `from`).
        let first_period = if self.rule.count.is_some() {
            0
        } else {
            self.period_containing(to_local(from, &self.zone).as_civil()).saturating_sub(1).max(0)
        };
        let last_date = add_days(to_local(to, &self.zone).date(), 2).unwrap_or(civil::Date::MAX);
        let mut counted: u32 = 0;
        let mut previous: Option<Timestamp> = None;
        let mut instants = Vec::new();
        for index in (first_period..).take(self.max_periods()) {
            let Some(period) = self.period(index) else { break };
            if period.first_day > last_date {
                break;
            }
            self.instants_in(&period, &mut instants);
            for &at in &instants {
                if at < self.start_at || previous.is_some_and(|previous| at <= previous) {
                    continue;
                }
                if at > to || self.rule.count.is_some_and(|count| counted >= count) {
                    return found;
                }
                previous = Some(at);
                counted += 1;
                if at >= from {
                    found.push(at);
                    if found.len() >= limit {
                        return found;
                    }
                }
            }
        }
        found
    }

    /// The first occurrence strictly after `after`, if any within [`Self::MAX_PERIODS_SCANNED`].
    pub fn next_after(&self, after: Timestamp) -> Option<Timestamp> {
        let from = Timestamp::from_millis(after.as_millis().saturating_add(1));
        self.occurrences_between(from, Timestamp::from_millis(i64::MAX), 1).first().copied()
    }

    /// Periods one query may scan: the global cap, or one 400-year cycle (146 097 days, a whole
    /// number of weeks) plus slack, whichever is less.
    fn max_periods(&self) -> usize {
        let cycle: u32 = match self.rule.freq {
            Frequency::Yearly => 400,
            Frequency::Monthly => 400 * 12,
            Frequency::Weekly => 146_097 / 7,
            Frequency::Daily | Frequency::Hourly => u32::MAX,
        };
        Self::MAX_PERIODS_SCANNED.min(cycle.saturating_add(2)) as usize
    }

    /// Index of the period (counted in steps of INTERVAL from DTSTART's) holding `local`.
    fn period_containing(&self, local: civil::DateTime) -> i64 {
        let start = self.dtstart.as_civil();
        let days = days_between(start.date(), local.date());
        let steps = match self.rule.freq {
            Frequency::Hourly => days * 24 + i64::from(local.hour()) - i64::from(start.hour()),
            Frequency::Daily => days,
            Frequency::Weekly => {
                days_between(week_start(start.date(), self.rule.week_start), local.date()).div_euclid(7)
            }
            Frequency::Monthly => month_number(local.date()) - month_number(start.date()),
            Frequency::Yearly => i64::from(local.year()) - i64::from(start.year()),
        };
        steps.div_euclid(i64::from(self.rule.interval))
    }

    /// The days of period `index`; `None` once the calendar runs out (year 9999).
    fn period(&self, index: i64) -> Option<Period> {
        let start = self.dtstart.as_civil();
        let step = index.checked_mul(i64::from(self.rule.interval))?;
        match self.rule.freq {
            Frequency::Hourly => {
                let hours = step.checked_add(i64::from(start.hour()))?;
                let first_day = add_days(start.date(), hours.div_euclid(24))?;
                Some(Period { first_day, days: 1, hour: i8::try_from(hours.rem_euclid(24)).ok() })
            }
            Frequency::Daily => Some(Period { first_day: add_days(start.date(), step)?, days: 1, hour: None }),
            Frequency::Weekly => {
                let first_day = add_days(week_start(start.date(), self.rule.week_start), step.checked_mul(7)?)?;
                Some(Period { first_day, days: 7, hour: None })
            }
            Frequency::Monthly => {
                let month = month_number(start.date()).checked_add(step)?;
                let year = i16::try_from(month.div_euclid(12)).ok()?;
                let first_day = civil::Date::new(year, i8::try_from(month.rem_euclid(12) + 1).ok()?, 1).ok()?;
                Some(Period { first_day, days: first_day.days_in_month().unsigned_abs().into(), hour: None })
            }
            Frequency::Yearly => {
                let year = i16::try_from(i64::from(start.year()).checked_add(step)?).ok()?;
                let first_day = civil::Date::new(year, 1, 1).ok()?;
                Some(Period { first_day, days: first_day.days_in_year().unsigned_abs(), hour: None })
            }
        }
    }

    /// Resolved instants of one period, ascending and without duplicates (a gap can move one
    /// wall-clock time onto or past another).
    fn instants_in(&self, period: &Period, instants: &mut Vec<Timestamp>) {
        instants.clear();
        let start = self.dtstart.as_civil();
        let minute = self.rule.by_minute.first().copied().unwrap_or(start.minute());
        let default_hour = [start.hour()];
        let period_hour = [period.hour.unwrap_or_default()];
        let hours: &[i8] = match period.hour {
            Some(hour) if self.rule.by_hour.is_empty() || self.rule.by_hour.contains(&hour) => &period_hour,
            Some(_) => &[],
            None if self.rule.by_hour.is_empty() => &default_hour,
            None => &self.rule.by_hour,
        };
        let mut day = Some(period.first_day);
        for _ in 0..period.days {
            let Some(date) = day else { break };
            if self.day_matches(date) {
                for &hour in hours {
                    if let Ok(time) = civil::Time::new(hour, minute, start.second(), 0) {
                        instants.push(resolve(LocalDateTime::new(date, time), &self.zone).at);
                    }
                }
            }
            day = date.tomorrow().ok();
        }
        instants.sort_unstable();
        instants.dedup();
    }

    /// BYMONTH, BYMONTHDAY and BYDAY as filters on a day; together they are an intersection,
    /// which is what RFC 5545's expand/limit table amounts to for this subset.
    fn day_matches(&self, date: civil::Date) -> bool {
        let rule = &self.rule;
        (rule.by_month.is_empty() || rule.by_month.contains(&date.month()))
            && (rule.by_month_day.is_empty() || rule.by_month_day.iter().any(|&day| month_day_is(date, day)))
            && (rule.by_day.is_empty() || rule.by_day.iter().any(|day| self.weekday_is(date, *day)))
    }

    fn weekday_is(&self, date: civil::Date, rule: DayRule) -> bool {
        if date.weekday() != rule.weekday {
            return false;
        }
        let Some(ordinal) = rule.ordinal else { return true };
        let (position, length) = if self.ordinal_in_month {
            (i16::from(date.day()), i16::from(date.days_in_month()))
        } else {
            (date.day_of_year(), date.days_in_year())
        };
        if ordinal > 0 {
            (position - 1) / 7 + 1 == i16::from(ordinal)
        } else {
            (length - position) / 7 + 1 == -i16::from(ordinal)
        }
    }
}

/// Maps a zero-based occurrence index to the text variation to publish, rotating round-robin so
/// followers do not see the same wording twice in a row. With no variations it returns 0.
pub fn variation_for(occurrence_index: usize, variations: usize) -> usize {
    occurrence_index.checked_rem(variations).unwrap_or(0)
}

/// The days one period covers; `hour` is set for HOURLY periods only.
struct Period {
    first_day: civil::Date,
    days: u16,
    hour: Option<i8>,
}

/// RFC 5545's defaults: a rule that does not say which day takes DTSTART's day (and month, for
/// YEARLY; weekday, for WEEKLY).
fn fill_implicit_parts(rule: &mut Rule, dtstart: LocalDateTime) {
    let date = dtstart.date();
    let says_which_day = !rule.by_month_day.is_empty() || !rule.by_day.is_empty();
    match rule.freq {
        Frequency::Yearly if !says_which_day => {
            if rule.by_month.is_empty() {
                rule.by_month = vec![date.month()];
            }
            rule.by_month_day = vec![date.day()];
        }
        Frequency::Monthly if !says_which_day => rule.by_month_day = vec![date.day()],
        Frequency::Weekly if rule.by_day.is_empty() => {
            rule.by_day = vec![DayRule { ordinal: None, weekday: date.weekday() }];
        }
        _ => {}
    }
}

/// UNTIL as an inclusive instant; a bare date includes that whole local day.
fn resolve_until(until: Until, zone: &TimeZoneName) -> Timestamp {
    match until {
        Until::Utc(at) => super::zoned::from_jiff(at),
        Until::Local(local) => resolve(LocalDateTime::from(local), zone).at,
        Until::Date(date) => match date.tomorrow() {
            Ok(next) => {
                let next_midnight = resolve(LocalDateTime::new(next, civil::Time::midnight()), zone).at;
                Timestamp::from_millis(next_midnight.as_millis() - 1)
            }
            Err(_) => Timestamp::from_millis(i64::MAX),
        },
    }
}

fn month_day_is(date: civil::Date, day: i8) -> bool {
    if day > 0 { date.day() == day } else { date.days_in_month() + 1 + day == date.day() }
}

fn week_start(date: civil::Date, first: Weekday) -> civil::Date {
    add_days(date, -i64::from(date.weekday().since(first))).unwrap_or(date)
}

fn month_number(date: civil::Date) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month()) - 1
}

fn days_between(from: civil::Date, to: civil::Date) -> i64 {
    to.duration_since(from).as_secs().div_euclid(86_400)
}

fn add_days(date: civil::Date, days: i64) -> Option<civil::Date> {
    date.checked_add(SignedDuration::from_secs(days.checked_mul(86_400)?)).ok()
}

#[cfg(test)]
#[path = "recurrence_tests.rs"]
mod tests;
