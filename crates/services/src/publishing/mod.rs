//! Publishing use cases: connected accounts, posts and their targets, versions, scheduling, and
//! the worker's side of the publishing ledger. Every state change writes its job (if it needs
//! one) and its audit row in the same transaction.

pub mod accounts;
mod attachments;
pub mod batch;
pub mod bulk;
pub mod calendar;
pub mod events;
pub mod export;
pub mod feed;
pub mod import;
mod load;
pub mod notify;
pub mod posts;
pub mod preview;
mod recurring;
pub mod schedule;
pub mod versions;
pub mod worker;

pub use events::PostEvent;
pub use load::{PostView, TargetView};
pub(crate) use load::post as load_post;
