//! Wall-clock date-times, IANA zone names, and the one rule that turns a wall-clock time into an
//! instant. Users schedule wall-clock times in their zone; storage holds UTC instants
//! (architecture invariant 5). Recurrences and posting slots go through [`resolve`] so that DST
//! gaps and folds are settled the same way everywhere.

use std::{fmt, str::FromStr, sync::LazyLock};

use jiff::{
    civil,
    tz::{AmbiguousOffset, TimeZone, TimeZoneDatabase},
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Timestamp;

/// The copy of the IANA database compiled into the binary (`tzdb-bundle-always`). It is the
/// fallback for hosts whose `/usr/share/zoneinfo` is missing or trimmed (slim containers), so a
/// zone a user picked never stops resolving because of how a server was provisioned.
static BUNDLED: LazyLock<TimeZoneDatabase> = LazyLock::new(TimeZoneDatabase::bundled);

/// A parsed IANA time zone name such as `Europe/Berlin`, together with its rules.
///
/// Lookup is case-insensitive; the stored name is the database's canonical spelling. The system
/// database is preferred (it follows OS updates), the bundled one fills in when the system lacks
/// the zone.
#[derive(Clone, Debug)]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

/// A time zone name that is not in the IANA database.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: expected an IANA name such as \"Europe/Berlin\"")]
pub struct UnknownTimeZone(pub String);

impl TimeZoneName {
    /// Longest name accepted; the longest real IANA name is 32 bytes.
    const MAX_LEN: usize = 64;

    /// Parses an IANA zone name (surrounding whitespace is ignored). Offsets (`+01:00`), POSIX TZ
    /// strings and `Etc/Unknown` are rejected: a schedule needs a zone with real DST rules.
    pub fn parse(raw: &str) -> Result<Self, UnknownTimeZone> {
        let name = raw.trim();
        let unknown = || UnknownTimeZone(name.to_owned());
        let plausible = !name.is_empty()
            && name.len() <= Self::MAX_LEN
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'));
        if !plausible {
            return Err(unknown());
        }
        let zone = jiff::tz::db().get(name).or_else(|_| BUNDLED.get(name)).map_err(|_| unknown())?;
        if zone.is_unknown() {
            return Err(unknown());
        }
        let canonical = zone.iana_name().unwrap_or(name).to_owned();
        Ok(Self { name: canonical, zone })
    }

    /// Coordinated Universal Time.
    pub fn utc() -> Self {
        Self { name: "UTC".to_owned(), zone: TimeZone::UTC }
    }

    /// The canonical IANA name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The zone's rules, for callers that need jiff directly.
    pub fn time_zone(&self) -> &TimeZone {
        &self.zone
    }
}

impl PartialEq for TimeZoneName {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for TimeZoneName {}

impl std::hash::Hash for TimeZoneName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl FromStr for TimeZoneName {
    type Err = UnknownTimeZone;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl Serialize for TimeZoneName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for TimeZoneName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A civil (wall-clock) date and time with whole-second precision and no zone, such as
/// `2026-03-29T02:30`. It may name a time that does not exist, or exists twice, in a given zone;
/// [`resolve`] decides which instant it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime(civil::DateTime);

/// Text that is not `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, or names no real date or time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid local date-time {0:?}: expected YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS")]
pub struct InvalidLocalDateTime(pub String);

impl LocalDateTime {
    /// Parses `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`. Only that shape is accepted (no
    /// fractions, offsets or zone suffixes), so an offset cannot be silently dropped.
    pub fn parse(raw: &str) -> Result<Self, InvalidLocalDateTime> {
        let invalid = || InvalidLocalDateTime(raw.to_owned());
        let shape_ok = match raw.len() {
            16 => has_shape(raw, "dddd-dd-ddTdd:dd"),
            19 => has_shape(raw, "dddd-dd-ddTdd:dd:dd"),
            _ => false,
        };
        if !shape_ok {
            return Err(invalid());
        }
        raw.parse::<civil::DateTime>().map(Self).map_err(|_| invalid())
    }

    /// Builds a local date-time; sub-second precision is dropped.
    pub fn new(date: civil::Date, time: civil::Time) -> Self {
        Self::from(date.to_datetime(time))
    }

    /// The calendar date.
    pub fn date(&self) -> civil::Date {
        self.0.date()
    }

    /// The wall-clock time.
    pub fn time(&self) -> civil::Time {
        self.0.time()
    }

    /// The jiff civil value.
    pub fn as_civil(&self) -> civil::DateTime {
        self.0
    }
}

/// `d` in `pattern` stands for an ASCII digit; every other byte must match literally.
fn has_shape(raw: &str, pattern: &str) -> bool {
    raw.len() == pattern.len()
        && raw.bytes().zip(pattern.bytes()).all(|(b, p)| if p == b'd' { b.is_ascii_digit() } else { b == p })
}

impl From<civil::DateTime> for LocalDateTime {
    fn from(dt: civil::DateTime) -> Self {
        // Dropping the fraction floors the value, which is what a wall clock shows.
        Self(dt.with().subsec_nanosecond(0).build().unwrap_or(dt))
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.strftime("%Y-%m-%dT%H:%M:%S"))
    }
}

impl FromStr for LocalDateTime {
    type Err = InvalidLocalDateTime;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl Serialize for LocalDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// The instant a wall-clock time resolved to, and whether it had to be adjusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The UTC instant.
    pub at: Timestamp,
    /// What was done to get there; shown to the user when it is not [`Adjustment::None`].
    pub adjustment: Adjustment,
}

/// How a wall-clock time that does not map to exactly one instant was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Adjustment {
    /// The time exists exactly once.
    None,
    /// The time fell in a spring-forward gap and was moved later by the gap's length
    /// (02:30 in a 02:00→03:00 gap becomes 03:30).
    Gap {
        /// Minutes the wall-clock time was moved forward (60 in most zones, 30 on Lord Howe).
        shifted_by_minutes: i32,
    },
    /// The time occurs twice (autumn fall-back); the earlier instant (still on summer time) was
    /// chosen so a post never goes out later than the first time the clock shows it.
    Fold {
        /// Always `true` under the current policy; kept explicit so callers need not assume it.
        chose_earlier: bool,
    },
}

/// Resolves a wall-clock time in a zone to one instant.
///
/// Gaps move forward by the gap length and folds take the earlier instant (RFC 5545 §3.3.5 and
/// jiff's "compatible" disambiguation, the same rule browsers and `java.time` use). Instants
/// outside jiff's supported range (around years ±9999) saturate at its ends.
pub fn resolve(local: LocalDateTime, zone: &TimeZoneName) -> Resolved {
    let ambiguous = zone.zone.to_ambiguous_timestamp(local.0);
    let adjustment = match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => Adjustment::None,
        AmbiguousOffset::Gap { before, after } => {
            Adjustment::Gap { shifted_by_minutes: (after.seconds() - before.seconds()) / 60 }
        }
        AmbiguousOffset::Fold { .. } => Adjustment::Fold { chose_earlier: true },
    };
    let at =
        ambiguous.compatible().unwrap_or(if local.0.year() < 0 { jiff::Timestamp::MIN } else { jiff::Timestamp::MAX });
    Resolved { at: from_jiff(at), adjustment }
}

/// The wall-clock time an instant shows in a zone, truncated to whole seconds.
pub fn to_local(at: Timestamp, zone: &TimeZoneName) -> LocalDateTime {
    LocalDateTime::from(zone.zone.to_datetime(to_jiff(at)))
}

/// `Timestamp` → jiff, saturating at jiff's range (±9999 years) instead of failing.
pub(crate) fn to_jiff(at: Timestamp) -> jiff::Timestamp {
    let millis = at.as_millis();
    jiff::Timestamp::from_millisecond(millis).unwrap_or(if millis < 0 {
        jiff::Timestamp::MIN
    } else {
        jiff::Timestamp::MAX
    })
}

/// jiff → `Timestamp` (millisecond precision, like storage).
pub(crate) fn from_jiff(at: jiff::Timestamp) -> Timestamp {
    Timestamp::from_millis(at.as_millisecond())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn utc(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap()
    }

    #[test]
    fn zone_names_parse_case_insensitively_to_canonical_form() {
        for (raw, canonical) in [
            ("Europe/Berlin", "Europe/Berlin"),
            ("europe/berlin", "Europe/Berlin"),
            (" America/New_York ", "America/New_York"),
            ("Australia/Lord_Howe", "Australia/Lord_Howe"),
            ("UTC", "UTC"),
        ] {
            assert_eq!(TimeZoneName::parse(raw).unwrap().as_str(), canonical, "{raw:?}");
        }
    }

    #[test]
    fn unknown_zone_names_are_rejected_with_the_name() {
        for bad in ["", "Mars/Olympus_Mons", "+01:00", "CET-1CEST,M3.5.0,M10.5.0/3", "../../etc/passwd", "Etc/Unknown"]
        {
            let err = TimeZoneName::parse(bad).unwrap_err();
            assert!(err.to_string().contains("unknown time zone"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn the_bundled_database_has_the_zones_without_the_system_copy() {
        // Proves `tzdb-bundle-always` is on: these resolve even where /usr/share/zoneinfo is absent.
        for name in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"] {
            assert!(TimeZoneDatabase::bundled().get(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn zone_names_round_trip_through_serde() {
        let zone: TimeZoneName = serde_json::from_str("\"europe/berlin\"").unwrap();
        assert_eq!(serde_json::to_string(&zone).unwrap(), "\"Europe/Berlin\"");
        assert!(serde_json::from_str::<TimeZoneName>("\"Nowhere/Town\"").is_err());
    }

    #[test]
    fn local_date_times_parse_only_the_two_documented_shapes() {
        assert_eq!(LocalDateTime::parse("2026-03-29T02:30").unwrap().to_string(), "2026-03-29T02:30:00");
        assert_eq!(LocalDateTime::parse("2026-03-29T02:30:15").unwrap().to_string(), "2026-03-29T02:30:15");
        for bad in [
            "",
            "2026-03-29",
            "2026-03-29 02:30",
            "2026-03-29T02:30:15.5",
            "2026-03-29T02:30Z",
            "2026-03-29T02:30+01:00",
            "2026-02-30T09:00",
            "2026-13-01T09:00",
            "2026-03-29T24:00",
            "2026-3-29T02:30",
        ] {
            assert!(LocalDateTime::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn resolve_handles_gaps_and_folds_table() {
        use Adjustment::{Fold, Gap};
        let none = Adjustment::None;
        // (zone, local, expected UTC, adjustment)
        let cases = [
            ("Europe/Berlin", "2026-03-29T01:59:59", "2026-03-29T00:59:59Z", none),
            ("Europe/Berlin", "2026-03-29T02:00", "2026-03-29T01:00:00Z", Gap { shifted_by_minutes: 60 }),
            ("Europe/Berlin", "2026-03-29T02:30", "2026-03-29T01:30:00Z", Gap { shifted_by_minutes: 60 }),
            ("Europe/Berlin", "2026-03-29T03:00", "2026-03-29T01:00:00Z", none),
            ("Europe/Berlin", "2026-10-25T02:30", "2026-10-25T00:30:00Z", Fold { chose_earlier: true }),
            ("Europe/Berlin", "2026-10-25T03:00", "2026-10-25T02:00:00Z", none),
            ("Europe/Berlin", "2026-07-01T09:00", "2026-07-01T07:00:00Z", none),
            ("Europe/Berlin", "2026-01-15T09:00", "2026-01-15T08:00:00Z", none),
            ("America/New_York", "2026-03-08T02:30", "2026-03-08T07:30:00Z", Gap { shifted_by_minutes: 60 }),
            ("America/New_York", "2026-03-08T03:30", "2026-03-08T07:30:00Z", none),
            ("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30:00Z", Fold { chose_earlier: true }),
            ("America/New_York", "2026-11-01T02:30", "2026-11-01T07:30:00Z", none),
            // Lord Howe moves by 30 minutes: +10:30 in winter, +11 in summer.
            ("Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:45:00Z", Gap { shifted_by_minutes: 30 }),
            ("Australia/Lord_Howe", "2026-10-04T02:30", "2026-10-03T15:30:00Z", none),
            ("Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-04T14:45:00Z", Fold { chose_earlier: true }),
            ("Australia/Lord_Howe", "2026-04-05T02:00", "2026-04-04T15:30:00Z", none),
            ("UTC", "2026-03-29T02:30", "2026-03-29T02:30:00Z", none),
        ];
        for (zone, local, expected, adjustment) in cases {
            let zone = TimeZoneName::parse(zone).unwrap();
            let resolved = resolve(LocalDateTime::parse(local).unwrap(), &zone);
            assert_eq!(resolved, Resolved { at: utc(expected), adjustment }, "{zone} {local}");
        }
    }

    #[test]
    fn to_local_shows_the_wall_clock_on_both_sides_of_a_fold() {
        let berlin = TimeZoneName::parse("Europe/Berlin").unwrap();
        for (instant, local) in [
            ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00"),
            ("2026-10-25T01:30:00Z", "2026-10-25T02:30:00"),
            ("2026-03-29T01:00:00Z", "2026-03-29T03:00:00"),
            ("2026-03-29T00:59:59.999Z", "2026-03-29T01:59:59"),
        ] {
            assert_eq!(to_local(utc(instant), &berlin).to_string(), local, "{instant}");
        }
    }

    #[test]
    fn extreme_values_saturate_instead_of_failing() {
        let kiritimati = TimeZoneName::parse("Pacific/Kiritimati").unwrap();
        assert_eq!(to_local(Timestamp::from_millis(i64::MAX), &kiritimati).date().year(), 9999);
        let behind = TimeZoneName::parse("Etc/GMT+12").unwrap();
        let last = resolve(LocalDateTime::parse("9999-12-31T23:59:59").unwrap(), &behind);
        assert_eq!(last.at, from_jiff(jiff::Timestamp::MAX));
    }
}
