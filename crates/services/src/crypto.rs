//! Small cryptographic helpers: random tokens and codes, hashing of bearer secrets, and
//! argon2id for passwords (run off the async threads because it is deliberately slow).

use argon2::{
    Argon2, PasswordHash, PasswordVerifier,
    password_hash::{PasswordHasher, SaltString, rand_core::OsRng},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::{Result, ServiceError};

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS random source failing is unrecoverable; there is no safe fallback.
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("operating system random source failed: {e}"));
    bytes
}

/// A URL-safe random token with 256 bits of entropy.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// A uniformly random 6-digit code (rejection sampling avoids modulo bias).
pub fn six_digit_code() -> String {
    loop {
        let n = u32::from_le_bytes(random_bytes::<4>());
        if n < u32::MAX - (u32::MAX % 1_000_000) {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// Hash of a high-entropy bearer secret (refresh token, API key, invitation token). No salt or
/// stretching is needed: the input is already 256 random bits.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Keyed hash of a low-entropy secret (6-digit code, recovery code): without the server key a
/// stolen database does not let anyone enumerate the million possible codes.
pub fn keyed_hash(key: &[u8], secret: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(secret.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of two hashes.
pub fn hashes_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(ServiceError::internal)?
    .map_err(ServiceError::internal)
}

/// Verifies a password against a stored argon2id hash.
pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(ServiceError::internal)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(ServiceError::internal)?
}

/// A hash of a fixed password, used to spend the same time on logins for unknown e-mails so
/// response timing does not reveal which addresses have accounts.
pub static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(b"timing-equaliser", &salt).map(|h| h.to_string()).unwrap_or_default()
});

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..200 {
            let code = six_digit_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[tokio::test]
    async fn password_hash_verifies_only_the_right_password() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), hash.clone()).await.unwrap());
        assert!(!verify_password("wrong horse battery".into(), hash).await.unwrap());
    }

    #[test]
    fn keyed_hash_depends_on_the_key() {
        assert_ne!(keyed_hash(b"a", "123456"), keyed_hash(b"b", "123456"));
        assert!(hashes_equal(&keyed_hash(b"a", "1"), &keyed_hash(b"a", "1")));
    }
}
