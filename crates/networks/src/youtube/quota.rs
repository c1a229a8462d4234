//! Calendar arithmetic the adapters need without a time-zone database: YouTube's daily quota
//! resets at midnight Pacific time (UTC−8, or UTC−7 under US daylight saving time: from 02:00
//! on the second Sunday of March to 02:00 on the first Sunday of November), and Pinterest's
//! analytics take plain `YYYY-MM-DD` dates.

use zenalto_domain::Timestamp;

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (the inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD` of an instant, in UTC.
pub(crate) fn utc_date(at: Timestamp) -> String {
    let (y, m, d) = civil_from_days(at.as_millis().div_euclid(1000).div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number of the `n`th Sunday of a month.
fn nth_sunday(year: i64, month: u32, n: i64) -> i64 {
    let first = days_from_civil(year, month, 1);
    // 1970-01-01 was a Thursday: weekday 4 counting from Sunday = 0.
    let weekday = (first + 4).rem_euclid(7);
    first + (7 - weekday) % 7 + 7 * (n - 1)
}

/// Pacific time's offset from UTC, in hours, at an instant (epoch seconds).
fn pacific_offset(utc_seconds: i64) -> i64 {
    let (year, _, _) = civil_from_days(utc_seconds.div_euclid(DAY));
    // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
    let starts = nth_sunday(year, 3, 2) * DAY + 10 * 3600;
    let ends = nth_sunday(year, 11, 1) * DAY + 9 * 3600;
    if (starts..ends).contains(&utc_seconds) { -7 } else { -8 }
}

/// The next midnight in Pacific time after `now`: when YouTube's daily quota resets.
pub(crate) fn next_pacific_midnight(now: Timestamp) -> Timestamp {
    let seconds = now.as_millis().div_euclid(1000);
    let local = seconds + pacific_offset(seconds) * 3600;
    let next_local_midnight = (local.div_euclid(DAY) + 1) * DAY;
    // The offset that applies at that midnight (it may differ from now's across a change).
    let candidate = next_local_midnight + 8 * 3600;
    let utc = next_local_midnight - pacific_offset(candidate) * 3600;
    Timestamp::from_millis(utc * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> Timestamp {
        Timestamp::parse_rfc3339(raw).unwrap_or_else(|| panic!("{raw}"))
    }

    #[test]
    fn dates_round_trip() {
        for days in [-1, 0, 59, 365, 11_016, 20_423, 30_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(utc_date(at("2026-12-01T02:15:00Z")), "2026-12-01");
    }

    #[test]
    fn quota_resets_at_midnight_pacific_in_winter_and_summer() {
        // 18:15 PST on Nov 30 → midnight PST = 08:00 UTC.
        assert_eq!(next_pacific_midnight(at("2026-12-01T02:15:00Z")), at("2026-12-01T08:00:00Z"));
        // 05:00 PDT on Jul 1 → midnight PDT = 07:00 UTC.
        assert_eq!(next_pacific_midnight(at("2026-07-01T12:00:00Z")), at("2026-07-02T07:00:00Z"));
        // Saturday before DST starts (Mar 8, 2026): the Sunday midnight is still PST.
        assert_eq!(next_pacific_midnight(at("2026-03-07T20:00:00Z")), at("2026-03-08T08:00:00Z"));
        // Sunday Mar 8, 2026 after the change: Monday's midnight is PDT.
        assert_eq!(next_pacific_midnight(at("2026-03-08T12:00:00Z")), at("2026-03-09T07:00:00Z"));
        // Sunday Nov 1, 2026, 06:30 UTC is 23:30 PDT on Oct 31: Nov 1 midnight PDT = 07:00 UTC.
        assert_eq!(next_pacific_midnight(at("2026-11-01T06:30:00Z")), at("2026-11-01T07:00:00Z"));
    }
}
