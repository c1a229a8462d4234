//! Social networks behind one interface. Every network adapter implements [`Connector`]; the
//! publishing engine only ever talks to that trait, so it cannot tell the built-in sandbox from a
//! real network. Adapters never retry on their own: they classify each failure
//! ([`PublishError`]) and the job queue decides what happens next (invariant 7). [`http`] holds
//! what they all do with HTTP the same way.

pub mod bluesky;
mod connector;
mod error;
pub mod facebook;
pub mod http;
pub mod instagram;
pub mod linkedin;
pub mod mastodon;
pub mod meta;
pub mod oauth;
pub mod pinterest;
pub mod pkce;
mod registry;
pub mod sandbox;
pub mod threads;
pub mod tiktok;
pub mod x;
pub mod youtube;

pub use connector::{
    AccountContext, AccountMetrics, AuthorizationRequest, CLOCK_SLACK_SECS, Capabilities, ConnectFlow, Connector, Identity, InboxItem, InboxKind, InboxPage,
    Lookup, MediaAttachment, MediaKind, OAuthClient, PostMetrics, PublishRequest, Published, Tokens, unsupported,
};
pub use error::PublishError;
pub use registry::{Connectors, adapters};
