//! Live post events over the WebSocket, scoped to one workspace.

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use zenalto_testkit::{Account, StatusCode, TestApp, Value, both_backends, json};

async fn open(app: &TestApp, owner: &Account) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let (status, ticket) = app.post(&format!("/api/v1/workspaces/{}/events/ticket", owner.workspace_id), Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{ticket}");
    let url = format!("ws://{}{}", app.addr, ticket["path"].as_str().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(url).await.expect("websocket opens");
    socket
}

/// Reads events until `done` says stop, or fails after ten seconds.
async fn read_until(socket: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin), done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done(&seen) {
        let message = tokio::time::timeout_at(deadline, socket.next()).await.unwrap_or_else(|_| panic!("events so far: {seen:?}"));
        if let Some(Ok(Message::Text(text))) = message {
            seen.push(serde_json::from_str(&text).unwrap());
        }
    }
    seen
}

both_backends!(clients_watch_their_posts_go_out_live, |app: TestApp| async move {
    let owner = app.signed_in("live@example.org").await;
    let stranger = app.signed_in("stranger@example.org").await;
    let account = app.sandbox_account(&owner, "live").await;
    let theirs = app.sandbox_account(&stranger, "theirs").await;
    let mut mine = open(&app, &owner).await;
    let mut other = open(&app, &stranger).await;

    let post = app.draft(&owner, "watch me", &[&account]).await;
    let id = post["id"].as_str().unwrap().to_owned();
    app.post_action(&owner, &id, "publish", json!({})).await;
    let events = read_until(&mut mine, |seen| seen.iter().any(|e| e["kind"] == "post.status" && e["status"] == "published")).await;
    let kinds: Vec<&str> = events.iter().filter(|e| e["postId"] == id.as_str()).map(|e| e["kind"].as_str().unwrap()).collect();
    for expected in ["post.created", "post.scheduled", "target.publishing", "target.published", "post.status"] {
        assert!(kinds.contains(&expected), "{expected} missing from {kinds:?}");
    }

    // The stranger's socket saw none of it: the first thing it receives is its own post.
    let own = app.draft(&stranger, "mine only", &[&theirs]).await;
    let seen = read_until(&mut other, |seen| !seen.is_empty()).await;
    assert_eq!(seen[0]["postId"], own["id"], "{seen:?}");
    mine.send(Message::Close(None)).await.ok();
});

both_backends!(the_event_stream_refuses_bad_tickets_and_strangers, |app: TestApp| async move {
    let owner = app.signed_in("guard@example.org").await;
    let stranger = app.signed_in("intruder@example.org").await;
    let (_, ticket) = app.post(&format!("/api/v1/workspaces/{}/events/ticket", owner.workspace_id), Some(&owner.access), json!({})).await;
    let good = ticket["ticket"].as_str().unwrap().to_owned();
    // Change the MAC's last hex digit (to a different one: a fixed replacement would equal it
    // one time in sixteen).
    let last = if good.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{last}", &good[..good.len() - 1]);
    let cases = [
        format!("/api/v1/workspaces/{}/events?ticket={tampered}", owner.workspace_id),
        // A valid ticket for one workspace does not open another.
        format!("/api/v1/workspaces/{}/events?ticket={good}", stranger.workspace_id),
        format!("/api/v1/workspaces/{}/events", owner.workspace_id),
    ];
    for path in cases {
        let result = tokio_tungstenite::connect_async(format!("ws://{}{path}", app.addr)).await;
        match result {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 401, "{path}"),
            other => panic!("{path} should be refused, got {other:?}"),
        }
    }
    app.clock.advance_secs(120);
    let expired = tokio_tungstenite::connect_async(format!("ws://{}/api/v1/workspaces/{}/events?ticket={good}", app.addr, owner.workspace_id)).await;
    assert!(matches!(expired, Err(tokio_tungstenite::tungstenite::Error::Http(ref r)) if r.status() == 401), "an expired ticket is refused");
});

/// On PostgreSQL, events raised in one process reach the clients of another: here the post is
/// published by a separate `zenalto worker` process while this app runs no workers at all.
#[tokio::test]
async fn events_from_a_worker_process_reach_the_clients_of_an_api_process() {
    let app = zenalto_testkit::spawn_app_with(zenalto_testkit::Backend::Postgres, super::manual_worker).await;
    let owner = app.signed_in("fanout@example.org").await;
    let account = app.sandbox_account(&owner, "fanout").await;
    let mut socket = open(&app, &owner).await;
    let _worker = WorkerProcess::start(&app);

    let post = app.draft(&owner, "published elsewhere", &[&account]).await;
    let id = post["id"].as_str().unwrap().to_owned();
    app.post_action(&owner, &id, "publish", json!({})).await;
    let events = read_until(&mut socket, |seen| seen.iter().any(|e| e["kind"] == "post.status" && e["status"] == "published")).await;
    let count = |kind: &str| events.iter().filter(|e| e["postId"] == id.as_str() && e["kind"] == kind).count();
    assert_eq!(count("target.published"), 1, "raised by the worker process, relayed once: {events:?}");
    assert_eq!(count("post.scheduled"), 1, "raised here, not echoed back by the relay: {events:?}");
}

/// A `zenalto worker` on the test app's database, killed when dropped.
struct WorkerProcess(std::process::Child);

impl WorkerProcess {
    fn start(app: &TestApp) -> Self {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_zenalto"))
            .arg("worker")
            .env_remove("ZENALTO_CONFIG")
            .env("ZENALTO__DATA_DIR", &app.settings.data_dir)
            .env("ZENALTO__DATABASE__URL", app.settings.database.url.expose())
            .env("ZENALTO__LOG__LEVEL", "warn")
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("start zenalto worker");
        Self(child)
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
