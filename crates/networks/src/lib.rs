//! Social networks behind one interface. Every network adapter implements [`Connector`]; the
//! publishing engine only ever talks to that trait, so it cannot tell the built-in sandbox from a
//! real network. Adapters never retry on their own: they classify each failure
//! ([`PublishError`]) and the job queue decides what happens next (invariant 7).

mod connector;
mod error;
mod registry;
pub mod sandbox;

pub use connector::{AccountContext, Authorization, Capabilities, Connector, InboxItem, PostMetrics, PublishRequest, Published, Tokens, unsupported};
pub use error::PublishError;
pub use registry::Connectors;
