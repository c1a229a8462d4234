//! The connectors this process can publish through, by network.

use std::{collections::HashMap, sync::Arc};

use zenalto_domain::publishing::Network;

use crate::Connector;

#[derive(Clone, Default)]
pub struct Connectors {
    by_network: HashMap<Network, Arc<dyn Connector>>,
}

impl Connectors {
    /// Adds (or replaces) the connector of its network.
    pub fn register(&mut self, connector: Arc<dyn Connector>) {
        self.by_network.insert(connector.network(), connector);
    }

    pub fn get(&self, network: Network) -> Option<Arc<dyn Connector>> {
        self.by_network.get(&network).cloned()
    }

    pub fn networks(&self) -> Vec<Network> {
        let mut networks: Vec<Network> = self.by_network.keys().copied().collect();
        networks.sort_by_key(|n| n.to_string());
        networks
    }
}

/// The real networks' adapters, each built from its `[networks.<name>]` settings (app
/// credentials and URL overrides) and the shared HTTP client.
pub fn adapters(settings: &std::collections::BTreeMap<String, zenalto_settings::NetworkSettings>, http: &reqwest::Client) -> Vec<Arc<dyn Connector>> {
    let config = |network: Network| settings.get(&network.to_string()).cloned().unwrap_or_default();
    // One line per adapter, in the order of `Network::ALL`.
    let adapters: Vec<Arc<dyn Connector>> = vec![
        Arc::new(crate::x::XConnector::new(&config(Network::X), http.clone())),
        Arc::new(crate::linkedin::LinkedInConnector::new(&config(Network::LinkedIn), http.clone())),
        Arc::new(crate::facebook::FacebookConnector::new(&config(Network::Facebook), http.clone())),
        Arc::new(crate::instagram::InstagramConnector::new(&config(Network::Instagram), http.clone())),
        Arc::new(crate::threads::ThreadsConnector::new(&config(Network::Threads), http.clone())),
        Arc::new(crate::youtube::YouTubeConnector::new(&config(Network::YouTube), http.clone())),
        Arc::new(crate::tiktok::TikTokConnector::new(&config(Network::TikTok), http.clone())),
        Arc::new(crate::pinterest::PinterestConnector::new(&config(Network::Pinterest), http.clone())),
        Arc::new(crate::mastodon::MastodonConnector::new(&config(Network::Mastodon), http.clone())),
        Arc::new(crate::bluesky::BlueskyConnector::new(&config(Network::Bluesky), http.clone())),
    ];
    adapters
}
