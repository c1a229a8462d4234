//! The calendar: the posts scheduled in a range, grouped by month, ISO week (Monday first) or day
//! as the wall clock shows them in a chosen IANA zone — a post at 23:30Z on 3 December belongs
//! to 4 December in Berlin.

use std::{collections::BTreeMap, fmt, str::FromStr};

use zenalto_domain::{Timestamp, schedule::TimeZoneName};
use zenalto_store::repo::posts::PostFilter;

use super::PostView;
use crate::{Access, FieldErrors, Result, ServiceError, Services};

/// The widest range one calendar request may cover (a year, leap day included).
pub const MAX_RANGE_DAYS: i64 = 366;
/// The most posts one calendar answer carries (the post list's own ceiling).
pub const MAX_POSTS: i64 = super::posts::MAX_LIST;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    #[default]
    Month,
    Week,
    Day,
}

impl GroupBy {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Week => "week",
            Self::Day => "day",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = ServiceError;
    fn from_str(raw: &str) -> Result<Self> {
        match raw {
            "month" => Ok(Self::Month),
            "week" => Ok(Self::Week),
            "day" => Ok(Self::Day),
            _ => Err(ServiceError::field("groupBy", "must be month, week or day")),
        }
    }
}

/// One period of the calendar that has posts.
#[derive(Clone, Debug)]
pub struct CalendarGroup {
    /// `2026-12`, `2026-W49` (ISO week) or `2026-12-03`.
    pub key: String,
    /// When the period starts in the zone, RFC 3339 with the zone's offset at that instant.
    pub start: String,
    pub posts: Vec<PostView>,
}

#[derive(Clone, Debug)]
pub struct Calendar {
    pub time_zone: TimeZoneName,
    pub group_by: GroupBy,
    pub groups: Vec<CalendarGroup>,
    /// More posts fall in the range than the answer carries (narrow the range or filter).
    pub truncated: bool,
}

impl Services {
    /// Scheduled posts with `filter.from <= scheduledAt < filter.to`, grouped in `zone` (post:read).
    /// Both ends are required and at most [`MAX_RANGE_DAYS`] apart, so one request stays bounded.
    /// At most `limit` posts (the earliest), saying when more fall in the range.
    pub async fn calendar(&self, access: &Access, filter: &PostFilter, group_by: GroupBy, zone: TimeZoneName, limit: i64) -> Result<Calendar> {
        check_range(filter.from, filter.to)?;
        let page = self.list_posts_page(access, filter, limit.min(MAX_POSTS)).await?;
        Ok(Calendar { groups: group(page.posts, group_by, &zone)?, time_zone: zone, group_by, truncated: page.more })
    }
}

fn check_range(from: Option<Timestamp>, to: Option<Timestamp>) -> Result<()> {
    let mut errors = FieldErrors::new();
    match (from, to) {
        (None, _) | (_, None) => {
            for (field, value) in [("from", from), ("to", to)] {
                if value.is_none() {
                    errors.insert(field.into(), "is required (RFC 3339)".into());
                }
            }
        }
        (Some(from), Some(to)) if to <= from => {
            errors.insert("to".into(), "must be after from".into());
        }
        (Some(from), Some(to)) if to.as_millis() - from.as_millis() > MAX_RANGE_DAYS * 86_400_000 => {
            errors.insert("to".into(), format!("the range may span at most {MAX_RANGE_DAYS} days"));
        }
        _ => {}
    }
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Validation(errors)) }
}

/// Groups posts (each with a scheduled time) by the period their local time falls in, in
/// chronological order. Zero-padded keys sort chronologically, ISO weeks across a year too.
pub fn group(posts: Vec<PostView>, by: GroupBy, zone: &TimeZoneName) -> Result<Vec<CalendarGroup>> {
    let mut groups: BTreeMap<String, CalendarGroup> = BTreeMap::new();
    for post in posts {
        let Some(at) = post.scheduled_at else { continue };
        let (key, start) = period(at, by, zone)?;
        groups.entry(key.clone()).or_insert_with(|| CalendarGroup { key, start, posts: Vec::new() }).posts.push(post);
    }
    Ok(groups.into_values().collect())
}

/// The key and start of the period an instant falls in, as the clock in `zone` shows it.
fn period(at: Timestamp, by: GroupBy, zone: &TimeZoneName) -> Result<(String, String)> {
    let tz = zone.time_zone();
    let local = jiff::Timestamp::from_millisecond(at.as_millis()).map_err(ServiceError::internal)?.to_zoned(tz.clone());
    let date = local.date();
    let (key, first_day) = match by {
        GroupBy::Day => (date.strftime("%Y-%m-%d").to_string(), date),
        GroupBy::Month => (date.strftime("%Y-%m").to_string(), date.first_of_month()),
        GroupBy::Week => {
            let week = date.iso_week_date();
            let monday = date.checked_sub(jiff::Span::new().days(date.weekday().to_monday_zero_offset())).map_err(ServiceError::internal)?;
            (format!("{:04}-W{:02}", week.year(), week.week()), monday)
        }
    };
    // Midnight inside a DST gap resolves forward, to the first instant the day really has.
    let start = first_day.to_zoned(tz.clone()).map_err(ServiceError::internal)?;
    Ok((key, start.timestamp().display_with_offset(start.offset()).to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn key(at: &str, by: GroupBy, zone: &str) -> (String, String) {
        period(Timestamp::parse_rfc3339(at).unwrap(), by, &TimeZoneName::parse(zone).unwrap()).unwrap()
    }

    #[test]
    fn periods_follow_the_wall_clock_of_the_zone() {
        let cases = [
            ("2026-12-03T23:30:00Z", GroupBy::Day, "UTC", "2026-12-03", "2026-12-03T00:00:00+00:00"),
            ("2026-12-03T23:30:00Z", GroupBy::Day, "Europe/Berlin", "2026-12-04", "2026-12-04T00:00:00+01:00"),
            ("2026-11-30T23:30:00Z", GroupBy::Month, "Europe/Berlin", "2026-12", "2026-12-01T00:00:00+01:00"),
            ("2026-12-03T12:00:00Z", GroupBy::Week, "Europe/Berlin", "2026-W49", "2026-11-30T00:00:00+01:00"),
            // Sunday 23:30Z is Monday in Berlin: the next ISO week.
            ("2026-12-06T23:30:00Z", GroupBy::Week, "Europe/Berlin", "2026-W50", "2026-12-07T00:00:00+01:00"),
            // 1 January 2027 is a Friday: ISO week 53 of 2026.
            ("2027-01-01T10:00:00Z", GroupBy::Week, "UTC", "2026-W53", "2026-12-28T00:00:00+00:00"),
            // Summer time: the offset of the period start is the one in force then.
            ("2027-07-15T10:00:00Z", GroupBy::Month, "America/New_York", "2027-07", "2027-07-01T00:00:00-04:00"),
        ];
        for (at, by, zone, want_key, want_start) in cases {
            assert_eq!(key(at, by, zone), (want_key.to_owned(), want_start.to_owned()), "{at} {by} {zone}");
        }
    }

    #[test]
    fn a_day_starting_in_a_dst_gap_starts_when_the_clock_resumes() {
        // Santiago skipped from 00:00 to 01:00 on 7 September 2025.
        assert_eq!(key("2025-09-07T12:00:00Z", GroupBy::Day, "America/Santiago").1, "2025-09-07T01:00:00-03:00");
    }

    #[test]
    fn ranges_are_required_ordered_and_bounded() {
        let t = |s: &str| Some(Timestamp::parse_rfc3339(s).unwrap());
        assert!(check_range(t("2026-01-01T00:00:00Z"), t("2027-01-02T00:00:00Z")).is_ok(), "366 days");
        for (from, to, field) in [
            (None, t("2026-01-01T00:00:00Z"), "from"),
            (t("2026-01-01T00:00:00Z"), None, "to"),
            (t("2026-01-02T00:00:00Z"), t("2026-01-01T00:00:00Z"), "to"),
            (t("2026-01-01T00:00:00Z"), t("2027-01-02T00:00:01Z"), "to"),
        ] {
            match check_range(from, to) {
                Err(ServiceError::Validation(errors)) => assert!(errors.contains_key(field), "{errors:?}"),
                other => panic!("{from:?}..{to:?}: {other:?}"),
            }
        }
    }
}
