//! The per-network figures, one file per network, each figure next to the URL it came from
//! (as `/work/shared/design/networks.md` records them). Sizes written "N MB" by a network are
//! read as N × 10^6 bytes, the stricter of the two readings.

mod bluesky;
mod facebook;
mod instagram;
mod linkedin;
mod mastodon;
mod pinterest;
mod sandbox;
mod threads;
mod tiktok;
mod x;
mod youtube;

use super::network::Network;
use super::rules::NetworkRules;

pub(crate) const KB: u64 = 1_000;
pub(crate) const MB: u64 = 1_000_000;
pub(crate) const GB: u64 = 1_000_000_000;
pub(crate) const SECOND: u64 = 1_000;
pub(crate) const MINUTE: u64 = 60 * SECOND;

pub(crate) fn mimes(list: &[&str]) -> Vec<String> {
    list.iter().map(|&mime| mime.to_owned()).collect()
}

impl NetworkRules {
    /// The default rules of `network`: the strictest figures we know for a standard account.
    pub fn for_network(network: Network) -> NetworkRules {
        match network {
            Network::X => x::rules(),
            Network::LinkedIn => linkedin::rules(),
            Network::Facebook => facebook::rules(),
            Network::Instagram => instagram::rules(),
            Network::Threads => threads::rules(),
            Network::YouTube => youtube::rules(),
            Network::TikTok => tiktok::rules(),
            Network::Pinterest => pinterest::rules(),
            Network::Mastodon => mastodon::rules(),
            Network::Bluesky => bluesky::rules(),
            Network::Sandbox => sandbox::rules(),
        }
    }

    /// Mastodon rules for one server, from the limits it publishes (`GET /api/v2/instance`).
    pub fn for_mastodon_instance(limits: &super::rules::MastodonInstanceLimits) -> NetworkRules {
        mastodon::for_instance(limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publishing::media::MediaKind;

    #[test]
    fn every_table_describes_its_own_network_and_cites_a_source() {
        for network in Network::ALL {
            let rules = NetworkRules::for_network(network);
            assert_eq!(rules.network, network);
            assert!(rules.text.max.value > 0);
            let sources = [Some(rules.text.max.source), rules.media.max_items.as_ref().map(|f| f.source)];
            for source in sources.into_iter().flatten() {
                assert!(source.starts_with("https://") || network == Network::Sandbox, "{network}: {source}");
            }
            for kind in &rules.media.kinds {
                assert_eq!(rules.media.kinds.iter().filter(|k| k.kind == kind.kind).count(), 1, "{network}: one entry per kind");
            }
        }
    }

    #[test]
    fn media_requirements_match_the_design_doc() {
        let required: Vec<Network> = Network::ALL.into_iter().filter(|&n| NetworkRules::for_network(n).media_required).collect();
        assert_eq!(required, vec![Network::Instagram, Network::YouTube, Network::TikTok, Network::Pinterest]);
        let threads: Vec<Network> = Network::ALL.into_iter().filter(|&n| NetworkRules::for_network(n).supports_threads).collect();
        assert_eq!(threads, vec![Network::X, Network::Threads, Network::Mastodon, Network::Bluesky, Network::Sandbox]);
        let youtube = NetworkRules::for_network(Network::YouTube);
        assert!(youtube.media.kind(MediaKind::Video).is_some() && youtube.media.kind(MediaKind::Image).is_none());
    }
}
