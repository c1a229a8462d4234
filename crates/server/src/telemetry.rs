//! Logging: human-readable text by default, JSON lines with `log.format = "json"`.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};
use zenalto_settings::{LogFormat, LogSettings};

pub fn init_tracing(settings: &LogSettings) {
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&settings.level));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match settings.format {
        LogFormat::Json => registry.with(fmt::layer().json().flatten_event(true).with_current_span(true)).try_init(),
        LogFormat::Text => registry.with(fmt::layer()).try_init(),
    };
    // A subscriber already installed (tests, embedding) is fine.
    drop(result);
}
