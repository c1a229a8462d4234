//! A new password chosen by a user. Only length is enforced (NIST SP 800-63B: at least 10
//! characters here, no composition rules, up to 256 so hashing cost stays bounded).

use crate::Secret;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidPassword {
    #[error("must be at least {} characters", Password::MIN_CHARS)]
    TooShort,
    #[error("must be at most {} characters", Password::MAX_CHARS)]
    TooLong,
}

#[derive(Debug, Clone)]
pub struct Password(Secret<String>);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, InvalidPassword> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(InvalidPassword::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(InvalidPassword::TooLong);
        }
        Ok(Self(Secret::new(raw.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_in_characters_not_bytes() {
        assert_eq!(Password::parse("short").unwrap_err(), InvalidPassword::TooShort);
        assert!(Password::parse("ééééééééé").is_err(), "9 characters, 18 bytes");
        assert!(Password::parse("éééééééééé").is_ok());
        assert_eq!(Password::parse(&"x".repeat(257)).unwrap_err(), InvalidPassword::TooLong);
    }
}
