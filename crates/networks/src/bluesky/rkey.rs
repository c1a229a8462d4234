//! Record keys we choose ourselves, so a repeated publish lands on the same record.
//!
//! `app.bsky.feed.post` records are keyed by TIDs (<https://atproto.com/specs/tid>,
//! <https://atproto.com/specs/record-key>): 64 bits, top bit zero, 53 bits of microseconds since
//! the epoch and a 10-bit clock id, written as 13 characters of base32-sortable. We derive all of
//! it from SHA-256 of the idempotency key: the same key always names the same record, and any
//! later try — or `find_published` — looks that record up with `getRecord`. The timestamp part is
//! pinned inside a fixed window in January 2023 (never in the future, where indexers may refuse
//! keys); only the relative order of our keys in `listRecords` is lost, which nothing relies on.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
/// 2023-01-01T00:00:00Z in microseconds.
const WINDOW_START_MICROS: u64 = 1_672_531_200_000_000;
/// 2^40 µs, about 12.7 days: with the 10-bit clock id, 2^50 possible keys.
const WINDOW_MICROS: u64 = 1 << 40;

/// The record key of part `index` of the post published with `idempotency_key` (part 0 is the
/// post itself; `None` names the first comment).
pub fn for_part(idempotency_key: &str, index: Option<usize>) -> String {
    let seed = match index {
        Some(0) => idempotency_key.to_owned(),
        Some(i) => format!("{idempotency_key}/part/{i}"),
        None => format!("{idempotency_key}/first-comment"),
    };
    tid_from(&seed)
}

fn tid_from(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let hash = u64::from_be_bytes(first);
    let micros = WINDOW_START_MICROS + (hash % WINDOW_MICROS);
    let clock_id = (hash >> 40) & 0x3ff;
    encode((micros << 10) | clock_id)
}

fn encode(value: u64) -> String {
    (0..13)
        .map(|i| ALPHABET[((value >> (60 - 5 * i)) & 31) as usize] as char)
        .collect()
}

/// A TID as the spec's reference regex accepts it.
pub fn is_tid(key: &str) -> bool {
    let bytes = key.as_bytes();
    bytes.len() == 13
        && b"234567abcdefghij".contains(&bytes[0])
        && bytes.iter().all(|b| ALPHABET.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_valid_tids_and_stable() {
        for key in ["a", "post-1/account-2/v3", "", "ünïcödé"] {
            let rkey = for_part(key, Some(0));
            assert!(is_tid(&rkey), "{rkey}");
            assert_eq!(rkey, for_part(key, Some(0)));
            assert_ne!(rkey, for_part(key, Some(1)));
            assert_ne!(rkey, for_part(key, None));
        }
    }

    #[test]
    fn the_encoding_matches_the_spec_example() {
        // atproto.com/specs/tid: a zero value is "2222222222222".
        assert_eq!(encode(0), "2222222222222");
        assert_eq!(encode(u64::MAX >> 1), "bzzzzzzzzzzzz");
    }

    #[test]
    fn timestamps_stay_in_the_past_window() {
        let rkey = for_part("x", Some(0));
        let value = rkey.bytes().fold(0u64, |acc, b| {
            (acc << 5) | ALPHABET.iter().position(|a| *a == b).unwrap_or(0) as u64
        });
        let micros = value >> 10;
        assert!((WINDOW_START_MICROS..WINDOW_START_MICROS + WINDOW_MICROS).contains(&micros));
    }
}
