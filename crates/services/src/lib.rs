//! Use cases: the only place that changes state. The HTTP API, the CLI (and later the assistant
//! and MCP clients) all call these functions, so permission checks, audit rows and mail happen
//! the same way whoever asks. Every state change and its audit row share one transaction.

pub mod accounts;
pub mod agents;
pub mod ai;
pub mod assistant;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod connections;
pub mod crypto;
pub mod insights;
mod error;
pub mod keys;
pub mod mail;
pub mod media;
pub mod publishing;
mod rotation;
pub mod vault;
pub mod workspaces;

use std::sync::Arc;

pub use auth::{Access, Principal};
pub use clock::Clock;
pub use error::{FieldErrors, ServiceError};
use zenalto_networks::{Connectors, sandbox::SandboxNetwork};
use zenalto_settings::Settings;
use zenalto_store::Db;

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// Who asked and from where; copied into audit rows and session records.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// Everything a use case needs, cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub keys: Arc<keys::Keys>,
    pub clock: Clock,
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// Woken when a post is scheduled in this process, so a due job starts without waiting for a poll.
    pub publish_wakeup: Arc<tokio::sync::Notify>,
    /// The networks this process can publish to.
    pub connectors: Arc<Connectors>,
    /// Live post events for WebSocket clients.
    pub events: tokio::sync::broadcast::Sender<publishing::PostEvent>,
    /// Where `emit` hands events for other processes, once the server starts a relay.
    relay: Arc<std::sync::OnceLock<tokio::sync::mpsc::Sender<publishing::PostEvent>>>,
    /// This process's name in relayed events (a process ignores its own).
    origin: Arc<str>,
    /// Where media library files live (the data folder or an S3-compatible store).
    pub media: zenalto_media::Storage,
    /// AI providers' circuit breakers and the response cache, shared by every workspace.
    pub ai: Arc<ai::Shared>,
}

impl Services {
    /// The same services with one more adapter (replacing the one of its network): how tests put
    /// a connector of their own in front of a real OAuth server.
    pub fn with_connector(mut self, connector: Arc<dyn zenalto_networks::Connector>) -> Self {
        let mut connectors = (*self.connectors).clone();
        connectors.register(connector);
        self.connectors = Arc::new(connectors);
        self
    }

    /// Services with the connectors this build has: the sandbox and every real network's adapter.
    pub fn new(db: Db, settings: Arc<Settings>, keys: Arc<keys::Keys>, clock: Clock, media: zenalto_media::Storage) -> Self {
        let mut connectors = Connectors::default();
        connectors.register(Arc::new(SandboxNetwork::new(db.clone(), settings.publishing.sandbox.clone(), &settings.server.public_url)));
        let http = zenalto_networks::http::client(std::time::Duration::from_secs(settings.publishing.network_timeout_secs.max(1)));
        for adapter in zenalto_networks::adapters(&settings.networks, &http) {
            connectors.register(adapter);
        }
        let (events, _) = tokio::sync::broadcast::channel(1024);
        let ai = Arc::new(ai::Shared::new(&settings.ai));
        Self {
            db,
            settings,
            keys,
            clock,
            mail_wakeup: Arc::new(tokio::sync::Notify::new()),
            publish_wakeup: Arc::new(tokio::sync::Notify::new()),
            connectors: Arc::new(connectors),
            events,
            relay: Arc::default(),
            origin: uuid::Uuid::new_v4().to_string().into(),
            media,
            ai,
        }
    }
}
