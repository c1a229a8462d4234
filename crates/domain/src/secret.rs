//! `Secret<T>` holds anything sensitive (passwords, keys, tokens, connection strings). It never
//! prints its contents and serialises as a mask, so a secret cannot leak through `{:?}`, logs,
//! `zenalto config` or an API response by accident. Read it only through `expose()`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const MASK: &str = "********";

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// Anything that can tell whether it holds a value; an empty secret serialises as `""` so the
/// generated example configuration and `zenalto config` show which secrets are unset.
pub trait IsEmpty {
    fn is_empty(&self) -> bool;
}

impl IsEmpty for String {
    fn is_empty(&self) -> bool {
        String::is_empty(self)
    }
}

impl<T: IsEmpty> Secret<T> {
    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }
}

impl<T: IsEmpty> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0.is_empty() { "" } else { MASK })
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_or_serialises_its_value() {
        let secret = Secret::new("hunter2".to_string());
        assert_eq!(format!("{secret:?}"), MASK);
        assert_eq!(serde_json::to_string(&secret).unwrap(), format!("\"{MASK}\""));
        assert_eq!(secret.expose(), "hunter2");
        assert_eq!(serde_json::to_string(&Secret::new(String::new())).unwrap(), "\"\"");
    }
}
