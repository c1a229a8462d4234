//! Local fakes of the social networks' HTTP APIs, for tests only (never shipped in the binary).
//!
//! Each fake is an axum server on a port the OS picks, speaking its network's documented wire
//! format (the official pages are cited in each module and in docs/networks/). It checks
//! requests the way the real API does — a missing or wrong token, a malformed body, an unknown
//! media id — and answers with that network's own error shape. It keeps what was posted so a
//! test can read it back, and plays [`Fault`]s queued by the test: 401, 403, 429 with the
//! network's reset headers, 5xx, slow answers, slow media processing, a failure on the n-th call.

pub mod bluesky_chat;
pub mod graph;
pub mod harness;
pub mod linkedin;
pub mod mastodon;
pub mod pinterest;
pub mod threads;
pub mod tiktok;
pub mod x;
pub mod youtube;

pub use harness::{Fault, FaultQueue, FakeServer};
