//! The built-in sandbox network: a labelled stand-in that keeps "published" posts in Zenalto's
//! own database and shows them in a feed, so a fresh install runs the whole flow with no
//! credentials. It honours record keys chosen by us (like Bluesky's), and its fault knobs make it
//! fail, throttle and time out like a real network for tests and demos. With `discard` (benchmark
//! use only) it answers at once and stores nothing.

use std::time::Duration;

use async_trait::async_trait;
use zenalto_domain::{Timestamp, publishing::Network};
use zenalto_settings::SandboxSettings;
use zenalto_store::{Db, repo::sandbox};

use crate::{AccountContext, Capabilities, ConnectFlow, Connector, Lookup, PublishError, PublishRequest, Published};

pub struct SandboxNetwork {
    db: Db,
    faults: SandboxSettings,
    public_url: String,
}

impl SandboxNetwork {
    pub fn new(db: Db, faults: SandboxSettings, public_url: &str) -> Self {
        Self { db, faults, public_url: public_url.trim_end_matches('/').to_owned() }
    }

    fn roll(percent: u8) -> bool {
        let mut byte = [0u8; 2];
        // A failed random read only means no fault this time.
        getrandom::fill(&mut byte).ok();
        u16::from_le_bytes(byte) % 100 < u16::from(percent)
    }

    fn url(&self, id: &str) -> String {
        format!("{}/sandbox/posts/{id}", self.public_url)
    }

    async fn store(&self, account: &AccountContext, request: &PublishRequest, now: Timestamp) -> Result<Published, PublishError> {
        let media = serde_json::to_string(&request.media_ids).unwrap_or_else(|_| "[]".into());
        let mut conn = self.db.begin().await.map_err(transient)?;
        let mut reply_to: Option<String> = None;
        let mut first = None;
        for (index, part) in request.parts.iter().enumerate() {
            let mut key = if index == 0 { request.idempotency_key.clone() } else { format!("{}/{index}", request.idempotency_key) };
            if self.faults.ignore_record_keys {
                // A network without idempotency: every call is a new post (found later by prefix).
                key = format!("{key}#{}", zenalto_domain::SandboxPostId::new());
            }
            let media = if index == 0 { media.as_str() } else { "[]" };
            let new = sandbox::NewSandboxPost { workspace: account.workspace_id, account: account.account_id, record_key: &key, text: part, media, reply_to: reply_to.as_deref() };
            let row = sandbox::put(&mut conn, &new, now).await.map_err(transient)?;
            reply_to = Some(row.id.to_string());
            first.get_or_insert(row.id.to_string());
        }
        conn.commit().await.map_err(transient)?;
        let id = first.ok_or_else(|| PublishError::Permanent { message: "a post needs at least one part".into() })?;
        Ok(Published { url: Some(self.url(&id)), platform_post_id: id })
    }
}

fn transient(e: impl std::fmt::Display) -> PublishError {
    PublishError::Transient { message: format!("sandbox storage failed: {e}"), retry_after_secs: None }
}

#[async_trait]
impl Connector for SandboxNetwork {
    fn network(&self) -> Network {
        Network::Sandbox
    }

    fn connect_flow(&self) -> ConnectFlow {
        ConnectFlow::None
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { native_idempotency: !self.faults.ignore_record_keys, can_verify: true, ..Capabilities::default() }
    }

    async fn publish(&self, account: &AccountContext, request: &PublishRequest) -> Result<Published, PublishError> {
        if self.faults.discard {
            // Benchmark use only (`publishing.sandbox.discard`): an instant network that keeps
            // nothing, so `zenalto bench queue` measures the queue and not this store.
            return Ok(Published { platform_post_id: zenalto_domain::SandboxPostId::new().to_string(), url: None });
        }
        if self.faults.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(self.faults.delay_ms)).await;
        }
        if Self::roll(self.faults.fail_percent) {
            return Err(PublishError::Transient { message: "sandbox: 503 Service Unavailable (injected)".into(), retry_after_secs: None });
        }
        if Self::roll(self.faults.throttle_percent) {
            return Err(PublishError::RateLimited {
                message: "sandbox: 429 Too Many Requests (injected)".into(),
                reset_at: Some(Timestamp::now().plus_seconds(2)),
            });
        }
        if Self::roll(self.faults.timeout_percent) {
            // Half the time the post was stored and only the answer was lost.
            if Self::roll(50) {
                self.store(account, request, Timestamp::now()).await?;
            }
            return Err(PublishError::Unknown { message: "sandbox: no answer within the time limit (injected timeout)".into() });
        }
        self.store(account, request, Timestamp::now()).await
    }

    async fn find_published(&self, account: &AccountContext, lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        let idempotency_key = lookup.idempotency_key;
        let mut conn = self.db.read().await.map_err(transient)?;
        let found = if self.faults.ignore_record_keys {
            sandbox::find_by_key_prefix(&mut conn, account.workspace_id, &format!("{idempotency_key}#")).await
        } else {
            sandbox::find_by_key(&mut conn, account.workspace_id, idempotency_key).await
        }
        .map_err(transient)?;
        Ok(found.map(|row| Published { url: Some(self.url(&row.id.to_string())), platform_post_id: row.id.to_string() }))
    }

    async fn delete(&self, account: &AccountContext, platform_post_id: &str) -> Result<(), PublishError> {
        let mut conn = self.db.begin().await.map_err(transient)?;
        let deleted = sandbox::delete(&mut conn, account.workspace_id, platform_post_id, Timestamp::now()).await.map_err(transient)?;
        conn.commit().await.map_err(transient)?;
        if deleted { Ok(()) } else { Err(PublishError::Permanent { message: "sandbox: 404 no such post".into() }) }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The sandbox needs no OAuth and has no metrics or inbox: it says so instead of pretending.
    #[tokio::test]
    async fn what_the_sandbox_lacks_is_refused_plainly() {
        let db = Db::connect("sqlite::memory:", 1).await.unwrap();
        let sandbox = SandboxNetwork::new(db, SandboxSettings::default(), "http://localhost");
        let account = AccountContext {
            workspace_id: zenalto_domain::WorkspaceId::new(),
            account_id: zenalto_domain::AccountId::new(),
            network: Network::Sandbox,
            handle: "me".into(),
            platform_account_id: String::new(),
            instance_url: None,
            access_token: None,
        };
        let client = crate::OAuthClient { client_id: "zenalto".into(), client_secret: None, instance_url: None };
        let request = crate::AuthorizationRequest { client: &client, redirect_uri: "http://localhost/callback", state: "s", pkce_challenge: "c" };
        let refused = [
            sandbox.authorization_url(&request).err().unwrap(),
            sandbox.post_metrics(&account, "1").await.err().unwrap(),
            sandbox.inbox(&account, None).await.err().unwrap(),
        ];
        for error in refused {
            assert!(matches!(error, PublishError::Permanent { ref message } if message.starts_with("Sandbox does not support")), "{error:?}");
        }
    }
}
