//! Per-network publishing rules, pure and without I/O: how each network counts text
//! ([`count`]), what it accepts ([`NetworkRules`]), whether a draft may be scheduled
//! ([`validate`]), and how a long text becomes a thread ([`split_into_thread`]).
//!
//! Every limit carries the URL it came from and how well it is confirmed ([`Fact`]); figures
//! come from `/work/shared/design/networks.md`. Breaching a confirmed or third-party figure is an
//! error that blocks scheduling; breaching an unconfirmed one only warns. Services override
//! figures that vary per account or server (Mastodon instances, X Premium) by editing the
//! returned [`NetworkRules`] before validating with [`validate_with`].

mod counting;
mod draft;
mod entities;
mod fact;
mod media;
mod network;
mod report;
mod rules;
mod table;
mod thread;
mod validate;

pub use counting::{Counting, TextLength, count, count_with};
pub use draft::Draft;
pub use fact::{AspectRange, Bounds, Confidence, Fact, Ratio};
pub use media::{MediaFacts, MediaKind};
pub use network::{Network, UnknownNetwork};
pub use report::{Issue, Report, Severity, codes};
pub use rules::{AltTextRules, KindRules, MastodonInstanceLimits, MediaRules, NetworkRules, TextRules, TitleRules};
pub use thread::{Numbering, split_into_thread, split_into_thread_with};
pub use validate::{validate, validate_with};
