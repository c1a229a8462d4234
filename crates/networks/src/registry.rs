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
