//! Dates, times and ranges in plain English, read against "today" in the person's own zone:
//! "tomorrow at 9am", "Friday", "on 5 December at 14:30", "next week", "last week". Pure, so it
//! is tested without a clock.

use jiff::civil::{Date, Time, Weekday};

/// A day named in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Day {
    Today,
    Tomorrow,
    /// The next such weekday after today ("Friday", "next Friday", "on friday").
    Weekday(Weekday),
    Date(Date),
}

/// A moment named in a request: a day, a time of day, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct When {
    pub day: Option<Day>,
    pub time: Option<Time>,
}

impl When {
    pub fn is_empty(&self) -> bool {
        self.day.is_none() && self.time.is_none()
    }

    /// The wall-clock date and time meant, given today and the time to keep when none is named
    /// (a moved post keeps its time of day). `None` when no time can be settled.
    pub fn resolve(&self, today: Date, keep_time: Option<Time>) -> Option<(Date, Time)> {
        let time = self.time.or(keep_time)?;
        let date = match self.day {
            Some(day) => day_date(day, today),
            None => today,
        };
        Some((date, time))
    }
}

pub fn day_date(day: Day, today: Date) -> Date {
    match day {
        Day::Today => today,
        Day::Tomorrow => today.tomorrow().unwrap_or(today),
        Day::Weekday(weekday) => {
            let ahead = (weekday.to_monday_zero_offset() - today.weekday().to_monday_zero_offset()).rem_euclid(7);
            let ahead = if ahead == 0 { 7 } else { ahead };
            today.checked_add(jiff::Span::new().days(ahead)).unwrap_or(today)
        }
        Day::Date(date) => date,
    }
}

/// A span of days, `[start, end)` as dates in the person's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: Date,
    pub end: Date,
}

const WEEKDAYS: [(&str, Weekday); 14] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

const MONTH_NAMES: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// The words of a request, lowercased; punctuation other than `:`, `-` and a `.` inside a word
/// ("9.30") turned into spaces.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ':' | '-' | '.') { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_matches(['.', '-', ':']).to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A month by its name or three-letter abbreviation ("sept" too).
fn month(word: &str) -> Option<i8> {
    let index = MONTHS.iter().position(|m| *m == word).or_else(|| MONTH_NAMES.iter().position(|m| *m == word)).or((word == "sept").then_some(8))?;
    i8::try_from(index + 1).ok()
}

fn ordinal_number(word: &str) -> Option<i8> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// The day and time named in `text`, relative to `today` (for the year of "5 December").
pub fn parse_when(text: &str, today: Date) -> When {
    let w = words(text);
    let mut when = When::default();
    for (i, word) in w.iter().enumerate() {
        let next = w.get(i + 1).map(String::as_str);
        match word.as_str() {
            "today" | "tonight" => when.day = Some(Day::Today),
            "tomorrow" | "tmrw" => when.day = Some(Day::Tomorrow),
            "noon" | "midday" => when.time = Time::new(12, 0, 0, 0).ok(),
            "morning" if when.time.is_none() => when.time = Time::new(9, 0, 0, 0).ok(),
            "afternoon" if when.time.is_none() => when.time = Time::new(14, 0, 0, 0).ok(),
            "evening" if when.time.is_none() => when.time = Time::new(18, 0, 0, 0).ok(),
            _ => {}
        }
        if let Some((_, weekday)) = WEEKDAYS.iter().find(|(name, _)| name == word || format!("{name}s") == *word) {
            when.day = Some(Day::Weekday(*weekday));
        }
        // "2026-12-10" or "2026-12-10t09:00"
        if let Ok(at) = word.parse::<jiff::civil::DateTime>()
            && word.contains('t')
        {
            when.day = Some(Day::Date(at.date()));
            when.time = Some(at.time());
        } else if let Ok(date) = word.parse::<Date>() {
            when.day = Some(Day::Date(date));
        }
        // "5 december", "december 5", "dec 5th"
        if let Some(m) = month(word) {
            let before = i.checked_sub(1).and_then(|j| w.get(j)).and_then(|p| ordinal_number(p));
            let after = next.and_then(ordinal_number);
            if let Some(d) = after.or(before)
                && let Ok(mut date) = Date::new(today.year(), m, d)
            {
                if date < today {
                    date = Date::new(today.year() + 1, m, d).unwrap_or(date);
                }
                when.day = Some(Day::Date(date));
            }
        }
        if let Some(time) = clock_time(word, next, i > 0 && matches!(w[i - 1].as_str(), "at" | "@")) {
            when.time = Some(time);
        }
    }
    when
}

/// "9am", "9 am" (with the next word), "9:30", "14:00", "9.30pm", or a bare hour after "at".
fn clock_time(word: &str, next: Option<&str>, after_at: bool) -> Option<Time> {
    let (body, suffix) = match word.strip_suffix("am").map(|b| (b, Some(false))).or_else(|| word.strip_suffix("pm").map(|b| (b, Some(true)))) {
        Some((body, pm)) if !body.is_empty() => (body, pm),
        _ => (
            word,
            next.and_then(|n| match n {
                "am" | "a" => Some(false),
                "pm" | "p" => Some(true),
                _ => None,
            }),
        ),
    };
    let (hour, minute) = match body.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?),
        None if suffix.is_some() || after_at => (body.parse::<i8>().ok()?, 0),
        None => return None,
    };
    if !body.contains([':', '.']) && suffix.is_none() && !after_at {
        return None;
    }
    let hour = match suffix {
        Some(true) if (1..12).contains(&hour) => hour + 12,
        Some(false) if hour == 12 => 0,
        Some(_) if !(1..=12).contains(&hour) => return None,
        _ => hour,
    };
    Time::new(hour, minute, 0, 0).ok()
}

/// The range a question names ("next week", "this week", "last week", "today", "tomorrow",
/// "this month", "last month", "next 3 days"); the default is the next seven days from today.
/// Weeks start on Monday.
pub fn parse_range(text: &str, today: Date) -> Range {
    let w = words(text);
    let days = |n: i64| jiff::Span::new().days(n);
    let monday = today.checked_sub(days(i64::from(today.weekday().to_monday_zero_offset()))).unwrap_or(today);
    let shift = |date: Date, n: i64| date.checked_add(days(n)).unwrap_or(date);
    let has = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    if has("next", "week") {
        return Range { start: shift(monday, 7), end: shift(monday, 14) };
    }
    if has("last", "week") || has("past", "week") || has("previous", "week") {
        return Range { start: shift(monday, -7), end: monday };
    }
    if has("this", "week") {
        return Range { start: monday, end: shift(monday, 7) };
    }
    let first = today.first_of_month();
    let month_after = |d: Date| d.checked_add(jiff::Span::new().months(1)).unwrap_or(d);
    if has("this", "month") {
        return Range { start: first, end: month_after(first) };
    }
    if has("last", "month") || has("past", "month") {
        let start = first.checked_sub(jiff::Span::new().months(1)).unwrap_or(first);
        return Range { start, end: first };
    }
    if has("next", "month") {
        let start = month_after(first);
        return Range { start, end: month_after(start) };
    }
    if let Some(i) = w.iter().position(|x| x == "next" || x == "last" || x == "past")
        && let Some(n) = w.get(i + 1).and_then(|n| n.parse::<i64>().ok()).filter(|n| (1..=90).contains(n))
        && w.get(i + 2).is_some_and(|d| d.starts_with("day"))
    {
        return if w[i] == "next" { Range { start: today, end: shift(today, n) } } else { Range { start: shift(today, 1 - n), end: shift(today, 1) } };
    }
    if w.iter().any(|x| x == "tomorrow") {
        return Range { start: shift(today, 1), end: shift(today, 2) };
    }
    if w.iter().any(|x| x == "today") {
        return Range { start: today, end: shift(today, 1) };
    }
    if w.iter().any(|x| x == "yesterday") {
        return Range { start: shift(today, -1), end: today };
    }
    Range { start: today, end: shift(today, 7) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "when_tests.rs"]
mod tests;
