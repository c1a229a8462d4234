//! Shared state handed to every handler.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use zenalto_services::Services;

use crate::middleware::rate_limit::RateLimits;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub rate_limits: RateLimits,
    /// False while the server is starting (migrations) or draining; `/ready` reports it.
    pub ready: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(services: Services) -> Self {
        let rate_limits = RateLimits::new(&services.settings.rate_limit);
        Self { services, rate_limits, ready: Arc::new(AtomicBool::new(true)) }
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }
}
