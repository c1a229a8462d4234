//! PKCE (RFC 7636) with S256, and the single-use `state` of an authorization request.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// A verifier kept (encrypted) until the person comes back, and the challenge sent with them.
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    /// 32 random bytes → a 43-character verifier (RFC 7636 §4.1 allows 43–128).
    pub fn generate() -> Self {
        let verifier = random_token();
        let challenge = challenge(&verifier);
        Self { verifier, challenge }
    }
}

/// `BASE64URL(SHA-256(verifier))` without padding (RFC 7636 §4.2).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// 256 random bits, URL-safe: the OAuth `state` and the PKCE verifier.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator does not fail on supported platforms; if it ever did,
    // an all-zero value would be guessable, so refuse to go on.
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no randomness for an OAuth state: {e}"));
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of RFC 7636, appendix B.
    #[test]
    fn the_rfc_example_challenge() {
        assert_eq!(challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn verifiers_are_long_enough_and_fresh() {
        let (a, b) = (Pkce::generate(), Pkce::generate());
        assert_eq!(a.verifier.len(), 43);
        assert_ne!(a.verifier, b.verifier);
        assert_eq!(a.challenge, challenge(&a.verifier));
    }
}
