//! The week a run fills: seven days from a local date in a zone, as UTC bounds.

use jiff::civil::{Date, Time, Weekday};
use zenalto_domain::{
    Timestamp,
    schedule::{LocalDateTime, TimeZoneName, resolve, to_local},
};

use crate::{Result, ServiceError};

/// How soon a proposed time may be: an approver needs a moment to read the draft.
const LEAD_MINUTES: i64 = 30;
/// How far ahead a week may start.
const HORIZON_DAYS: i32 = 366;

#[derive(Clone, Debug)]
pub struct Week {
    pub start: Date,
    pub zone: TimeZoneName,
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Week {
    /// `raw` (`YYYY-MM-DD`) or, without it, the next Monday after today in `zone`.
    pub fn settle(raw: Option<&str>, zone: &TimeZoneName, now: Timestamp) -> Result<Week> {
        let today = to_local(now, zone).date();
        let start = match raw {
            Some(raw) => raw.parse::<Date>().map_err(|_| ServiceError::field("weekStart", "a date like 2026-12-07"))?,
            None => {
                let mut day = today.tomorrow().map_err(ServiceError::internal)?;
                while day.weekday() != Weekday::Monday {
                    day = day.tomorrow().map_err(ServiceError::internal)?;
                }
                day
            }
        };
        let end = start.checked_add(jiff::Span::new().days(7)).map_err(|_| ServiceError::field("weekStart", "out of range"))?;
        if end <= today {
            return Err(ServiceError::field("weekStart", "that week is over; choose a week that has not ended"));
        }
        if start > today.checked_add(jiff::Span::new().days(HORIZON_DAYS)).map_err(ServiceError::internal)? {
            return Err(ServiceError::field("weekStart", "at most a year ahead"));
        }
        let at = |date: Date| resolve(LocalDateTime::new(date, Time::midnight()), zone).at;
        Ok(Week { start, zone: zone.clone(), from: at(start), to: at(end) })
    }

    /// The first instant a draft may be proposed for.
    pub fn earliest(&self, now: Timestamp) -> Timestamp {
        self.from.max(now.plus_seconds(LEAD_MINUTES * 60))
    }
}
