//! The social networks Zenalto publishes to, with their stable wire names and human labels.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A network a post can be published to. The serde form is the stable snake_case name stored in
/// the database and sent over the API ("x", "linkedin", …); [`Network::label`] is for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Network {
    #[serde(rename = "x")]
    X,
    #[serde(rename = "linkedin")]
    LinkedIn,
    #[serde(rename = "facebook")]
    Facebook,
    #[serde(rename = "instagram")]
    Instagram,
    #[serde(rename = "threads")]
    Threads,
    #[serde(rename = "youtube")]
    YouTube,
    #[serde(rename = "tiktok")]
    TikTok,
    #[serde(rename = "pinterest")]
    Pinterest,
    #[serde(rename = "mastodon")]
    Mastodon,
    #[serde(rename = "bluesky")]
    Bluesky,
    /// The built-in sandbox network: publishes nowhere, so demos and tests need no accounts.
    #[serde(rename = "sandbox")]
    Sandbox,
}

/// A network name that is not one of [`Network::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown network {0:?}")]
pub struct UnknownNetwork(pub String);

impl Network {
    /// Every network, in the order the UI lists them.
    pub const ALL: [Network; 11] = [
        Network::X,
        Network::LinkedIn,
        Network::Facebook,
        Network::Instagram,
        Network::Threads,
        Network::YouTube,
        Network::TikTok,
        Network::Pinterest,
        Network::Mastodon,
        Network::Bluesky,
        Network::Sandbox,
    ];

    /// The stable wire name, identical to the serde form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::LinkedIn => "linkedin",
            Network::Facebook => "facebook",
            Network::Instagram => "instagram",
            Network::Threads => "threads",
            Network::YouTube => "youtube",
            Network::TikTok => "tiktok",
            Network::Pinterest => "pinterest",
            Network::Mastodon => "mastodon",
            Network::Bluesky => "bluesky",
            Network::Sandbox => "sandbox",
        }
    }

    /// The name people know the network by, with its own capitalisation.
    pub const fn label(self) -> &'static str {
        match self {
            Network::X => "X",
            Network::LinkedIn => "LinkedIn",
            Network::Facebook => "Facebook",
            Network::Instagram => "Instagram",
            Network::Threads => "Threads",
            Network::YouTube => "YouTube",
            Network::TikTok => "TikTok",
            Network::Pinterest => "Pinterest",
            Network::Mastodon => "Mastodon",
            Network::Bluesky => "Bluesky",
            Network::Sandbox => "Sandbox",
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Network {
    type Err = UnknownNetwork;

    /// Accepts the wire name in any case, surrounded by whitespace or not ("X", " linkedin ").
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let wanted = raw.trim();
        Network::ALL.into_iter().find(|network| network.as_str().eq_ignore_ascii_case(wanted)).ok_or_else(|| UnknownNetwork(raw.to_owned()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_serde_display_and_from_str() {
        let expected = [
            (Network::X, "x", "X"),
            (Network::LinkedIn, "linkedin", "LinkedIn"),
            (Network::Facebook, "facebook", "Facebook"),
            (Network::Instagram, "instagram", "Instagram"),
            (Network::Threads, "threads", "Threads"),
            (Network::YouTube, "youtube", "YouTube"),
            (Network::TikTok, "tiktok", "TikTok"),
            (Network::Pinterest, "pinterest", "Pinterest"),
            (Network::Mastodon, "mastodon", "Mastodon"),
            (Network::Bluesky, "bluesky", "Bluesky"),
            (Network::Sandbox, "sandbox", "Sandbox"),
        ];
        assert_eq!(expected.len(), Network::ALL.len());
        for (network, wire, label) in expected {
            assert_eq!(serde_json::to_string(&network).unwrap(), format!("\"{wire}\""));
            assert_eq!(serde_json::from_str::<Network>(&format!("\"{wire}\"")).unwrap(), network);
            assert_eq!(network.to_string(), wire);
            assert_eq!(wire.parse::<Network>().unwrap(), network);
            assert_eq!(label.parse::<Network>().unwrap(), network, "labels parse case-insensitively");
            assert_eq!(network.label(), label);
        }
    }

    #[test]
    fn unknown_names_are_rejected() {
        for bad in ["", "twitter", "linked_in", "you tube"] {
            assert_eq!(bad.parse::<Network>(), Err(UnknownNetwork(bad.to_owned())));
        }
        assert_eq!(" x\n".parse::<Network>(), Ok(Network::X), "surrounding whitespace is ignored");
        assert!(serde_json::from_str::<Network>("\"X\"").is_err(), "the wire form is exact");
    }
}
