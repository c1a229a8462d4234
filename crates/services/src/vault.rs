//! Encryption at rest (AES-256-GCM) for secrets the server must read back: TOTP seeds now,
//! network tokens and provider keys later. A ciphertext is `v1:<key id>:<base64 nonce‖data>`,
//! so the key that sealed it travels beside it and keys can be rotated.

use std::collections::BTreeMap;

use aes_gcm::{
    Aes256Gcm, Nonce,
    aead::{Aead, KeyInit},
};
use base64::{Engine, engine::general_purpose::STANDARD};

use crate::crypto::random_bytes;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    #[error("ciphertext is malformed")]
    Malformed,
    #[error("ciphertext was sealed with unknown key `{0}`")]
    UnknownKey(String),
    #[error("ciphertext failed authentication")]
    Tampered,
}

#[derive(Default)]
pub struct Keyring {
    keys: BTreeMap<String, [u8; 32]>,
    active: String,
}

impl Keyring {
    pub(crate) fn insert(&mut self, id: String, key: [u8; 32]) {
        self.keys.insert(id, key);
    }
    pub(crate) fn set_active(&mut self, id: &str) {
        self.active = id.to_owned();
    }
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.keys.contains_key(id)
    }
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &[u8; 32])> {
        self.keys.iter()
    }
    /// `k<n+1>` for the highest numbered key `k<n>`.
    pub(crate) fn next_id(&self) -> String {
        let highest = self.keys.keys().filter_map(|k| k.strip_prefix('k')?.parse::<u32>().ok()).max().unwrap_or(0);
        format!("k{}", highest + 1)
    }

    pub fn active_key_id(&self) -> &str {
        &self.active
    }

    pub fn encrypt(&self, plaintext: &str) -> Result<String, VaultError> {
        let key = self.keys.get(&self.active).ok_or_else(|| VaultError::UnknownKey(self.active.clone()))?;
        let cipher = Aes256Gcm::new(key.into());
        let nonce = random_bytes::<12>();
        let sealed = cipher.encrypt(&Nonce::from(nonce), plaintext.as_bytes()).map_err(|_| VaultError::Malformed)?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&sealed);
        Ok(format!("v1:{}:{}", self.active, STANDARD.encode(blob)))
    }

    pub fn decrypt(&self, ciphertext: &str) -> Result<String, VaultError> {
        let mut parts = ciphertext.splitn(3, ':');
        let (Some("v1"), Some(key_id), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(VaultError::Malformed);
        };
        let key = self.keys.get(key_id).ok_or_else(|| VaultError::UnknownKey(key_id.to_owned()))?;
        let blob = STANDARD.decode(data).map_err(|_| VaultError::Malformed)?;
        if blob.len() < 12 {
            return Err(VaultError::Malformed);
        }
        let (nonce, sealed) = blob.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| VaultError::Malformed)?;
        let plain = Aes256Gcm::new(key.into()).decrypt(&Nonce::from(nonce), sealed).map_err(|_| VaultError::Tampered)?;
        String::from_utf8(plain).map_err(|_| VaultError::Malformed)
    }

    /// Whether a ciphertext was sealed with a key other than the active one.
    pub fn needs_reencryption(&self, ciphertext: &str) -> bool {
        !ciphertext.starts_with(&format!("v1:{}:", self.active))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        let mut ring = Keyring::default();
        ring.insert("k1".into(), [7; 32]);
        ring.set_active("k1");
        ring
    }

    #[test]
    fn round_trips_and_detects_tampering() {
        let ring = ring();
        let sealed = ring.encrypt("top secret").unwrap();
        assert!(sealed.starts_with("v1:k1:"));
        assert!(!sealed.contains("top secret"));
        assert_eq!(ring.decrypt(&sealed).unwrap(), "top secret");
        // Flip one bit of the ciphertext itself (editing the base64 text could instead make it
        // non-canonical base64, which is "malformed", not "tampered").
        let (prefix, data) = sealed.rsplit_once(':').unwrap();
        let mut blob = STANDARD.decode(data).unwrap();
        let last = blob.len() - 1;
        blob[last] ^= 0x01;
        assert_eq!(ring.decrypt(&format!("{prefix}:{}", STANDARD.encode(blob))), Err(VaultError::Tampered));
        assert_eq!(ring.decrypt("v1:k9:AAAA"), Err(VaultError::UnknownKey("k9".into())));
        assert_eq!(ring.decrypt("garbage"), Err(VaultError::Malformed));
    }
}
