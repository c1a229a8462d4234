//! Checks a draft against a network's rules before it may be queued. Every figure comes from the
//! rules tables; this module only decides how a breach is reported. Errors block scheduling,
//! warnings flag what will probably go wrong (or rests on an unconfirmed figure), suggestions
//! improve a post that is fine.

mod extras;
mod format;
mod media;
mod text;

use super::draft::Draft;
use super::network::Network;
use super::report::Report;
use super::rules::NetworkRules;

/// Validates `draft` against `network`'s default rules.
pub fn validate(network: Network, draft: &Draft) -> Report {
    validate_with(&NetworkRules::for_network(network), draft)
}

/// Validates `draft` against explicit rules (a Mastodon server's, an X Premium account's…).
pub fn validate_with(rules: &NetworkRules, draft: &Draft) -> Report {
    let mut report = Report::default();
    text::check(rules, draft, &mut report);
    media::check(rules, draft, &mut report);
    extras::check(rules, draft, &mut report);
    report
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
