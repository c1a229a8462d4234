//! The social networks' app credentials and addresses. A network with no `client_id` cannot be
//! connected (the accounts page says so); every URL an adapter calls can be overridden, which is
//! how the tests point adapters at local fakes and how a deployment reaches a proxy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zenalto_domain::Secret;

/// `[networks.<name>]`, e.g. `[networks.x]`, `[networks.linkedin]`, `[networks.bluesky]`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSettings {
    /// The app's OAuth client id at the network (Mastodon registers one per instance instead).
    pub client_id: Option<String>,
    /// The app's client secret, for networks that require one beside PKCE.
    pub client_secret: Secret<String>,
    /// Overrides of the adapter's URLs by name (`api`, `auth`, `token`, `upload`, …; each
    /// network's page in docs/networks/ lists its names and defaults).
    pub urls: BTreeMap<String, String>,
}

impl NetworkSettings {
    /// The URL named `name`, or the adapter's default, without a trailing slash.
    pub fn url(&self, name: &str, default: &str) -> String {
        self.urls.get(name).map(String::as_str).unwrap_or(default).trim_end_matches('/').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_replaces_the_default_url() {
        let mut settings = NetworkSettings::default();
        assert_eq!(settings.url("api", "https://api.x.com/"), "https://api.x.com");
        settings.urls.insert("api".into(), "http://127.0.0.1:9000/".into());
        assert_eq!(settings.url("api", "https://api.x.com"), "http://127.0.0.1:9000");
    }
}
