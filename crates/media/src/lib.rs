//! The media library's machinery, free of SQL and HTTP: where files are kept ([`Storage`], the
//! data folder or any S3-compatible store through the `object_store` crate), what a file really
//! is ([`sniff`], by its bytes), what it measures ([`probe`] for images, [`video`] through
//! ffprobe), its thumbnail, and per-network derivatives ([`derive`]).

pub mod derive;
pub mod probe;
pub mod sniff;
pub mod storage;
pub mod transcode;
pub mod video;

pub use sniff::{Sniffed, sniff};
pub use storage::{Storage, StorageError};

/// The SHA-256 of `bytes` as lowercase hex: the identity used to find duplicate uploads.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
