//! Parsing of RFC 5545 `RRULE` text into a checked [`Rule`]: the subset a social scheduler needs
//! (FREQ HOURLY to YEARLY, INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY, BYDAY with ordinals,
//! BYHOUR, BYMINUTE, WKST). Parts outside the subset are rejected rather than ignored, because
//! ignoring one would silently produce different times than the user asked for.

use jiff::civil::{self, Weekday};

/// Why a recurrence rule was refused. Messages name the offending part so the UI can show them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    /// No text at all.
    #[error("the recurrence rule is empty")]
    Empty,
    /// `FREQ` is required by RFC 5545.
    #[error("the recurrence rule needs FREQ (HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)")]
    MissingFreq,
    /// SECONDLY or MINUTELY: a social scheduler must not post more than once an hour.
    #[error("FREQ={0} would post more often than hourly; the shortest allowed frequency is HOURLY")]
    TooFrequent(String),
    /// More than one BYMINUTE value puts several posts into the same hour.
    #[error("BYMINUTE may list only one minute: several would post more often than hourly")]
    SeveralMinutesPerHour,
    /// A valid RFC 5545 part this scheduler does not implement.
    #[error("{0} is not supported in recurrence rules")]
    Unsupported(String),
    /// A part name RFC 5545 does not define.
    #[error("unknown recurrence rule part {0:?}")]
    UnknownPart(String),
    /// The same part given twice.
    #[error("{0} appears more than once in the recurrence rule")]
    DuplicatePart(String),
    /// A part whose value is malformed or out of range.
    #[error("invalid value {value:?} for {part}")]
    InvalidValue {
        /// Part name, e.g. `BYDAY`.
        part: String,
        /// The text that was refused.
        value: String,
    },
    /// RFC 5545: COUNT and UNTIL must not both occur.
    #[error("COUNT and UNTIL cannot both be given")]
    CountAndUntil,
    /// RFC 5545: ordinals such as `1MO` only mean something within a month or a year.
    #[error("BYDAY ordinals such as 1MO or -1FR need FREQ=MONTHLY or FREQ=YEARLY")]
    OrdinalNeedsMonthlyOrYearly,
    /// RFC 5545: BYMONTHDAY must not be used with FREQ=WEEKLY.
    #[error("BYMONTHDAY cannot be used with FREQ=WEEKLY")]
    MonthDayWithWeekly,
}

/// The period the rule steps through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Frequency {
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A BYDAY entry: a weekday, optionally the n-th (`1MO`) or n-th from the end (`-1FR`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DayRule {
    pub ordinal: Option<i8>,
    pub weekday: Weekday,
}

/// UNTIL as written: its meaning depends on the rule's zone, resolved by the recurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Until {
    /// `YYYYMMDDTHHMMSSZ`
    Utc(jiff::Timestamp),
    /// `YYYYMMDDTHHMMSS`, wall-clock time in the rule's zone.
    Local(civil::DateTime),
    /// `YYYYMMDD`: the whole of that local day is included.
    Date(civil::Date),
}

/// A parsed rule; every list is sorted, deduplicated and range-checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    pub freq: Frequency,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    pub by_month: Vec<i8>,
    pub by_month_day: Vec<i8>,
    pub by_day: Vec<DayRule>,
    pub by_hour: Vec<i8>,
    pub by_minute: Vec<i8>,
    pub week_start: Weekday,
}

impl Rule {
    /// Parses `FREQ=...;...`, with or without a leading `RRULE:`; names and values are
    /// case-insensitive as in RFC 5545.
    pub fn parse(raw: &str) -> Result<Self, RecurrenceError> {
        let text = raw.trim().to_ascii_uppercase();
        let body = text.strip_prefix("RRULE:").unwrap_or(&text);
        if body.is_empty() {
            return Err(RecurrenceError::Empty);
        }
        let mut rule = Rule {
            freq: Frequency::Daily,
            interval: 1,
            count: None,
            until: None,
            by_month: Vec::new(),
            by_month_day: Vec::new(),
            by_day: Vec::new(),
            by_hour: Vec::new(),
            by_minute: Vec::new(),
            week_start: Weekday::Monday,
        };
        let mut seen: Vec<&str> = Vec::new();
        // A trailing `;` is common in hand-written rules and harmless.
        for part in body.split(';').filter(|part| !part.is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| invalid("rule part", part))?;
            if seen.contains(&name) {
                return Err(RecurrenceError::DuplicatePart(name.to_owned()));
            }
            seen.push(name);
            match name {
                "FREQ" => rule.freq = parse_freq(value)?,
                "INTERVAL" => rule.interval = parse_number(name, value, 1, u32::MAX)?,
                "COUNT" => rule.count = Some(parse_number(name, value, 1, u32::MAX)?),
                "UNTIL" => rule.until = Some(parse_until(value)?),
                "BYMONTH" => rule.by_month = parse_list(name, value, |v| parse_number(name, v, 1, 12))?,
                "BYMONTHDAY" => rule.by_month_day = parse_list(name, value, |v| parse_signed(name, v, 31))?,
                "BYDAY" => rule.by_day = parse_by_day(value)?,
                "BYHOUR" => rule.by_hour = parse_list(name, value, |v| parse_number(name, v, 0, 23))?,
                "BYMINUTE" => rule.by_minute = parse_list(name, value, |v| parse_number(name, v, 0, 59))?,
                "WKST" => rule.week_start = parse_weekday(value).ok_or_else(|| invalid(name, value))?,
                "BYSECOND" | "BYSETPOS" | "BYYEARDAY" | "BYWEEKNO" => {
                    return Err(RecurrenceError::Unsupported(name.to_owned()));
                }
                _ => return Err(RecurrenceError::UnknownPart(name.to_owned())),
            }
        }
        if !seen.contains(&"FREQ") {
            return Err(RecurrenceError::MissingFreq);
        }
        rule.check_combinations()?;
        Ok(rule)
    }

    /// The RFC 5545 rules about which parts go together, plus the hourly ceiling.
    fn check_combinations(&self) -> Result<(), RecurrenceError> {
        if self.count.is_some() && self.until.is_some() {
            return Err(RecurrenceError::CountAndUntil);
        }
        if self.by_minute.len() > 1 {
            return Err(RecurrenceError::SeveralMinutesPerHour);
        }
        if self.freq == Frequency::Weekly && !self.by_month_day.is_empty() {
            return Err(RecurrenceError::MonthDayWithWeekly);
        }
        let ordinals_allowed = matches!(self.freq, Frequency::Monthly | Frequency::Yearly);
        if !ordinals_allowed && self.by_day.iter().any(|day| day.ordinal.is_some()) {
            return Err(RecurrenceError::OrdinalNeedsMonthlyOrYearly);
        }
        // Within a month no weekday occurs a sixth time, so `6MO` could never fire: refuse it
        // now rather than scan centuries for it later.
        let within_month = self.freq == Frequency::Monthly || !self.by_month.is_empty();
        if within_month && let Some(day) = self.by_day.iter().find(|day| day.ordinal.is_some_and(|n| n.abs() > 5)) {
            return Err(invalid("BYDAY", &format!("{}{}", day.ordinal.unwrap_or_default(), weekday_code(day.weekday))));
        }
        Ok(())
    }
}

fn invalid(part: &str, value: &str) -> RecurrenceError {
    RecurrenceError::InvalidValue { part: part.to_owned(), value: value.to_owned() }
}

fn parse_freq(value: &str) -> Result<Frequency, RecurrenceError> {
    match value {
        "HOURLY" => Ok(Frequency::Hourly),
        "DAILY" => Ok(Frequency::Daily),
        "WEEKLY" => Ok(Frequency::Weekly),
        "MONTHLY" => Ok(Frequency::Monthly),
        "YEARLY" => Ok(Frequency::Yearly),
        "SECONDLY" | "MINUTELY" => Err(RecurrenceError::TooFrequent(value.to_owned())),
        _ => Err(invalid("FREQ", value)),
    }
}

/// An unsigned decimal (no sign, no spaces) within `min..=max`.
fn parse_number<T: TryFrom<u32>>(part: &str, value: &str, min: u32, max: u32) -> Result<T, RecurrenceError> {
    let digits_only = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    let number = value.parse::<u32>().ok().filter(|n| digits_only && (min..=max).contains(n));
    number.and_then(|n| T::try_from(n).ok()).ok_or_else(|| invalid(part, value))
}

/// A non-zero value in `-max..=-1` or `1..=max`, as BYMONTHDAY takes.
fn parse_signed(part: &str, value: &str, max: u32) -> Result<i8, RecurrenceError> {
    let (negative, digits) = split_sign(value);
    let n: i8 = parse_number(part, digits, 1, max)?;
    Ok(if negative { -n } else { n })
}

fn split_sign(value: &str) -> (bool, &str) {
    if let Some(rest) = value.strip_prefix('-') {
        (true, rest)
    } else {
        (false, value.strip_prefix('+').unwrap_or(value))
    }
}

/// A comma-separated list, sorted and deduplicated so expansion can rely on order.
fn parse_list<T: Ord>(
    part: &str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, RecurrenceError>,
) -> Result<Vec<T>, RecurrenceError> {
    if value.is_empty() {
        return Err(invalid(part, value));
    }
    let mut items = value.split(',').map(parse).collect::<Result<Vec<_>, _>>()?;
    items.sort();
    items.dedup();
    Ok(items)
}

fn parse_by_day(value: &str) -> Result<Vec<DayRule>, RecurrenceError> {
    if value.is_empty() {
        return Err(invalid("BYDAY", value));
    }
    let mut days = Vec::new();
    for item in value.split(',') {
        let code_at = item.len().checked_sub(2).filter(|&at| item.is_char_boundary(at));
        let (prefix, code) = code_at.map(|at| item.split_at(at)).ok_or_else(|| invalid("BYDAY", item))?;
        let weekday = parse_weekday(code).ok_or_else(|| invalid("BYDAY", item))?;
        let ordinal = if prefix.is_empty() {
            None
        } else {
            // RFC 5545 allows ±1..=53 (weeks in a year); month scope is narrowed later.
            Some(parse_signed("BYDAY", prefix, 53).map_err(|_| invalid("BYDAY", item))?)
        };
        let day = DayRule { ordinal, weekday };
        if !days.contains(&day) {
            days.push(day);
        }
    }
    Ok(days)
}

fn parse_weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

fn parse_until(value: &str) -> Result<Until, RecurrenceError> {
    let bad = || invalid("UNTIL", value);
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match value.len() {
        8 if all_digits(value) => civil::Date::strptime("%Y%m%d", value).map(Until::Date).map_err(|_| bad()),
        15 | 16 => {
            let (local, zulu) = match value.strip_suffix('Z') {
                Some(local) => (local, true),
                None => (value, false),
            };
            let shaped = local.len() == 15 && local.as_bytes().get(8) == Some(&b'T');
            if !shaped || !all_digits(&local[..8]) || !all_digits(&local[9..]) {
                return Err(bad());
            }
            let civil = civil::DateTime::strptime("%Y%m%dT%H%M%S", local).map_err(|_| bad())?;
            if zulu {
                jiff::tz::Offset::UTC.to_timestamp(civil).map(Until::Utc).map_err(|_| bad())
            } else {
                Ok(Until::Local(civil))
            }
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn parses_the_supported_parts() {
        let rule = Rule::parse("rrule:freq=monthly;interval=2;count=10;bymonth=3,1,3;bymonthday=-1,15;byday=1MO,-1fr,+2TU,WE;byhour=18,9;byminute=30;wkst=SU;").unwrap();
        assert_eq!(rule.freq, Frequency::Monthly);
        assert_eq!(rule.interval, 2);
        assert_eq!(rule.count, Some(10));
        assert_eq!(rule.by_month, vec![1, 3]);
        assert_eq!(rule.by_month_day, vec![-1, 15]);
        let day = |ordinal, weekday| DayRule { ordinal, weekday };
        assert_eq!(
            rule.by_day,
            vec![
                day(Some(1), Weekday::Monday),
                day(Some(-1), Weekday::Friday),
                day(Some(2), Weekday::Tuesday),
                day(None, Weekday::Wednesday)
            ]
        );
        assert_eq!(rule.by_hour, vec![9, 18]);
        assert_eq!(rule.by_minute, vec![30]);
        assert_eq!(rule.week_start, Weekday::Sunday);
    }

    #[test]
    fn parses_the_three_until_forms() {
        let until = |text: &str| Rule::parse(&format!("FREQ=DAILY;UNTIL={text}")).unwrap().until.unwrap();
        assert_eq!(until("20260401"), Until::Date(date(2026, 4, 1)));
        assert_eq!(until("20260401T093000"), Until::Local(date(2026, 4, 1).at(9, 30, 0, 0)));
        assert_eq!(until("20260401T093000Z"), Until::Utc("2026-04-01T09:30:00Z".parse().unwrap()));
    }

    #[test]
    fn rejects_bad_rules_with_a_specific_error() {
        use RecurrenceError as E;
        let bad = |part: &str, value: &str| E::InvalidValue { part: part.into(), value: value.into() };
        let cases = [
            ("", E::Empty),
            ("RRULE:", E::Empty),
            ("INTERVAL=2", E::MissingFreq),
            ("FREQ=MINUTELY", E::TooFrequent("MINUTELY".into())),
            ("FREQ=SECONDLY;COUNT=3", E::TooFrequent("SECONDLY".into())),
            ("FREQ=DAILY;BYMINUTE=0,30", E::SeveralMinutesPerHour),
            ("FREQ=FORTNIGHTLY", bad("FREQ", "FORTNIGHTLY")),
            ("FREQ=DAILY;BYSETPOS=1", E::Unsupported("BYSETPOS".into())),
            ("FREQ=DAILY;BYSECOND=0", E::Unsupported("BYSECOND".into())),
            ("FREQ=YEARLY;BYWEEKNO=20", E::Unsupported("BYWEEKNO".into())),
            ("FREQ=DAILY;COLOR=RED", E::UnknownPart("COLOR".into())),
            ("FREQ=DAILY;FREQ=WEEKLY", E::DuplicatePart("FREQ".into())),
            ("FREQ=DAILY;COUNT=2;UNTIL=20260101", E::CountAndUntil),
            ("FREQ=WEEKLY;BYDAY=1MO", E::OrdinalNeedsMonthlyOrYearly),
            ("FREQ=DAILY;BYDAY=-1FR", E::OrdinalNeedsMonthlyOrYearly),
            ("FREQ=WEEKLY;BYMONTHDAY=1", E::MonthDayWithWeekly),
            ("FREQ=DAILY;INTERVAL=0", bad("INTERVAL", "0")),
            ("FREQ=DAILY;INTERVAL=-1", bad("INTERVAL", "-1")),
            ("FREQ=DAILY;COUNT=0", bad("COUNT", "0")),
            ("FREQ=DAILY;COUNT= 3", bad("COUNT", " 3")),
            ("FREQ=DAILY;BYMONTH=13", bad("BYMONTH", "13")),
            ("FREQ=DAILY;BYMONTH=", bad("BYMONTH", "")),
            ("FREQ=DAILY;BYMONTHDAY=0", bad("BYMONTHDAY", "0")),
            ("FREQ=DAILY;BYMONTHDAY=32", bad("BYMONTHDAY", "32")),
            ("FREQ=DAILY;BYHOUR=24", bad("BYHOUR", "24")),
            ("FREQ=DAILY;BYMINUTE=60", bad("BYMINUTE", "60")),
            ("FREQ=DAILY;BYDAY=XX", bad("BYDAY", "XX")),
            ("FREQ=MONTHLY;BYDAY=0MO", bad("BYDAY", "0MO")),
            ("FREQ=MONTHLY;BYDAY=6MO", bad("BYDAY", "6MO")),
            ("FREQ=YEARLY;BYDAY=54MO", bad("BYDAY", "54MO")),
            ("FREQ=MONTHLY;BYDAY=é", bad("BYDAY", "é")),
            ("FREQ=DAILY;UNTIL=2026-04-01", bad("UNTIL", "2026-04-01")),
            ("FREQ=DAILY;UNTIL=20260230", bad("UNTIL", "20260230")),
            ("FREQ=DAILY;UNTIL=20260401X093000", bad("UNTIL", "20260401X093000")),
            ("FREQ=DAILY;WKST=XX", bad("WKST", "XX")),
            ("FREQ", bad("rule part", "FREQ")),
        ];
        for (text, expected) in cases {
            assert_eq!(Rule::parse(text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn yearly_ordinals_beyond_five_are_fine_without_bymonth() {
        // The 20th Monday of the year exists; within a month it would not.
        assert!(Rule::parse("FREQ=YEARLY;BYDAY=20MO").is_ok());
        assert!(Rule::parse("FREQ=YEARLY;BYMONTH=3;BYDAY=20MO").is_err());
    }

    #[test]
    fn error_messages_are_readable() {
        let err = Rule::parse("FREQ=MINUTELY").unwrap_err();
        assert_eq!(
            err.to_string(),
            "FREQ=MINUTELY would post more often than hourly; the shortest allowed frequency is HOURLY"
        );
    }
}
