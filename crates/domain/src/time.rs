//! Instants are stored as UTC milliseconds since the Unix epoch (a BIGINT on both backends) and
//! shown to people as RFC 3339.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub fn now() -> Self {
        Self(jiff::Timestamp::now().as_millisecond())
    }
    pub fn from_millis(millis: i64) -> Self {
        Self(millis)
    }
    pub fn as_millis(&self) -> i64 {
        self.0
    }
    pub fn plus_seconds(&self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds.saturating_mul(1000)))
    }
    pub fn parse_rfc3339(raw: &str) -> Option<Self> {
        raw.parse::<jiff::Timestamp>().ok().map(|t| Self(t.as_millisecond()))
    }
    fn as_jiff(&self) -> jiff::Timestamp {
        jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }
}

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Self(millis)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3}", self.as_jiff())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse_rfc3339(&raw).ok_or_else(|| serde::de::Error::custom("must be an RFC 3339 timestamp"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_rfc3339() {
        let t = Timestamp::from_millis(1_764_000_000_123);
        let text = t.to_string();
        assert_eq!(text, "2025-11-24T16:00:00.123Z");
        assert_eq!(Timestamp::parse_rfc3339(&text), Some(t));
    }
}
