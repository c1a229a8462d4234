//! Connecting real network accounts and keeping them usable.
//!
//! The core side of every adapter: the OAuth state (single use, bound to the person's session
//! and workspace) and PKCE verifier are made and kept here, tokens are sealed with the vault the
//! moment they arrive and opened only to hand to one call, tokens are refreshed ahead of expiry,
//! and an account's health (active / expiring / expired / revoked / error) is recorded and
//! announced to the workspace's owners and admins when it changes. Adapters (the
//! `zenalto-networks` crate) only speak their network's wire format.

mod connect;
mod credentials;
pub(crate) mod health;
mod refresh;

pub use connect::{Candidate, ConnectOutcome, ConnectStart, NetworkInfo};
pub use health::Health;
