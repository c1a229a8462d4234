//! Helpers for publishing tests: connected accounts, posts, and driving the queue by hand.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};
use zenalto_services::publishing::worker::JobOutcome;
use zenalto_store::repo::social_accounts::{self, SocialAccountRow};

use crate::{Account, TestApp};

/// The worker name tests use when they run jobs themselves.
pub const TEST_WORKER: &str = "test-worker";

impl TestApp {
    /// Connects a sandbox account through the API; returns its id.
    pub async fn sandbox_account(&self, owner: &Account, handle: &str) -> String {
        let path = format!("/api/v1/workspaces/{}/accounts", owner.workspace_id);
        let (status, body) = self.post(&path, Some(&owner.access), json!({ "network": "sandbox", "handle": handle })).await;
        assert_eq!(status, StatusCode::CREATED, "connect sandbox account: {body}");
        body["id"].as_str().expect("account id").to_owned()
    }

    /// A test fixture: an account of a real network written straight into the database, so
    /// validation against that network's rules can be tested before its OAuth connector exists.
    /// No connector is configured for it, so publishing to it fails permanently, as it should.
    pub async fn fixture_account(&self, owner: &Account, network: &str, handle: &str) -> String {
        let row = SocialAccountRow {
            id: AccountId::new(),
            workspace_id: owner.workspace_id.parse::<WorkspaceId>().expect("workspace id"),
            network: network.to_owned(),
            handle: handle.to_owned(),
            display_name: handle.to_owned(),
            posting_slots: None,
            throttled_until: None,
            created_at: Timestamp::now(),
            platform_account_id: None,
            instance_url: None,
            token_expires_at: None,
            scopes: None,
            health: "active".into(),
            last_error: None,
        };
        let mut tx = self.services.db.begin().await.expect("db");
        social_accounts::insert(&mut tx, &row).await.expect("insert account");
        tx.commit().await.expect("commit");
        row.id.to_string()
    }

    /// A real network's account with a sealed access token, written straight into the database
    /// (as a completed connect would leave it), for tests of publishing through an adapter.
    pub async fn connected_account(&self, owner: &Account, network: &str, platform_id: &str, handle: &str, token: &str) -> String {
        let id = AccountId::new();
        let sealed = self.services.keys.keyring.encrypt(token).expect("seal");
        let connection = social_accounts::Connection {
            platform_account_id: platform_id,
            instance_url: None,
            handle,
            display_name: handle,
            access_token: &sealed,
            refresh_token: None,
            token_expires_at: None,
            scopes: "",
        };
        let workspace = owner.workspace_id.parse::<WorkspaceId>().expect("workspace id");
        let mut tx = self.services.db.begin().await.expect("db");
        social_accounts::insert_connected(&mut tx, id, workspace, network, &connection, Timestamp::now()).await.expect("insert account");
        tx.commit().await.expect("commit");
        id.to_string()
    }

    pub fn posts_path(&self, owner: &Account) -> String {
        format!("/api/v1/workspaces/{}/posts", owner.workspace_id)
    }

    /// Creates a draft with `text` for the given accounts; returns the post.
    pub async fn draft(&self, owner: &Account, text: &str, accounts: &[&str]) -> Value {
        let targets: Vec<Value> = accounts.iter().map(|a| json!({ "accountId": a })).collect();
        let (status, body) = self.post(&self.posts_path(owner), Some(&owner.access), json!({ "content": { "text": text }, "targets": targets })).await;
        assert_eq!(status, StatusCode::CREATED, "create post: {body}");
        body
    }

    /// POST /posts/{id}/{action} with `body`.
    pub async fn post_action(&self, owner: &Account, post_id: &str, action: &str, body: Value) -> (StatusCode, Value) {
        self.post(&format!("{}/{post_id}/{action}", self.posts_path(owner)), Some(&owner.access), body).await
    }

    pub async fn get_post(&self, owner: &Account, post_id: &str) -> Value {
        let (status, body) = self.get(&format!("{}/{post_id}", self.posts_path(owner)), &owner.access).await;
        assert_eq!(status, StatusCode::OK, "get post: {body}");
        body
    }

    /// Claims and runs every due job the way the worker does (batch path, with the one-by-one
    /// path for the unusual jobs), until none is due; returns the outcomes. Use with
    /// `workers.enabled = false` so no background worker competes.
    pub async fn run_due_jobs(&self) -> Vec<JobOutcome> {
        let mut outcomes = Vec::new();
        loop {
            let jobs = self.services.claim_jobs(TEST_WORKER, 100).await.expect("claim");
            if jobs.is_empty() {
                return outcomes;
            }
            let prepared = self.services.prepare_batch(jobs, TEST_WORKER).await.expect("prepare batch");
            outcomes.extend(prepared.done);
            for job in prepared.one_by_one {
                outcomes.push(self.services.run_job(job, TEST_WORKER).await.expect("run job"));
            }
            let mut results = Vec::new();
            for ready in prepared.ready {
                let result = self.services.call_network(&ready).await;
                results.push((ready, result));
            }
            outcomes.extend(self.services.record_batch(results, TEST_WORKER).await.expect("record batch"));
        }
    }

    /// Counts jobs in each state, e.g. `[("done", 1), ("superseded", 1)]`.
    pub async fn job_counts(&self) -> Vec<(String, i64)> {
        let mut conn = self.services.db.read().await.expect("db");
        zenalto_store::queue::counts(&mut conn).await.expect("counts")
    }

    /// The sandbox feed of the owner's workspace.
    pub async fn sandbox_feed(&self, owner: &Account) -> Vec<Value> {
        let (status, body) = self.get(&format!("/api/v1/workspaces/{}/sandbox/feed", owner.workspace_id), &owner.access).await;
        assert_eq!(status, StatusCode::OK, "sandbox feed: {body}");
        body["posts"].as_array().cloned().unwrap_or_default()
    }

    /// Polls the post until its status is `status` (the background worker is running), or panics
    /// after `seconds`.
    pub async fn wait_for_status(&self, owner: &Account, post_id: &str, status: &str, seconds: u64) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        loop {
            let post = self.get_post(owner, post_id).await;
            if post["status"] == status {
                return post;
            }
            assert!(std::time::Instant::now() < deadline, "post never became {status}: {post}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }
}
