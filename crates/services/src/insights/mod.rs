//! What the networks report back about published posts and connected accounts: engagement
//! figures (on demand and on a schedule, see `zenalto-jobs` `insights`) and the unified inbox
//! (comments, replies, mentions and direct messages, fetched per account and answered through
//! the account's network).
//!
//! Permissions: figures need analytics:view (viewers see them, and may ask for fresh ones — a
//! refresh only reads the network). Reading the inbox needs post:read; what changes it for the
//! whole team — a sync on demand, marking a conversation read, replying — needs post:create,
//! the permission of everyone who writes in the workspace's name (there is no inbox permission).
//!
//! Failures: a network that no longer accepts the token marks the account expired (announced
//! once, then the schedule leaves it alone); any other failure is logged and tried again at its
//! next turn (figures: an hour or a day later; inboxes: five minutes). Stored figures and messages are only ever replaced by newer ones, never cleared.

mod inbox;
mod metrics;
mod reply;
mod sync;

pub use inbox::{Conversation, Message};
pub use metrics::{AccountFigures, PostMetricsReport, TargetMetrics};
