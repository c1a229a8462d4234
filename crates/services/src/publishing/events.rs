//! Live post events for WebSocket clients. An in-process broadcast carries them to the clients
//! of this process; on PostgreSQL the server also relays them to every other process (see
//! `server/src/fanout.rs`): `emit` hands each event raised here to the relay, and events from
//! other processes come back in through `receive_encoded`, never to be relayed again.

use serde::{Deserialize, Serialize};
use zenalto_domain::{PostId, TargetId, Timestamp, WorkspaceId};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostEvent {
    #[serde(skip)]
    pub workspace_id: WorkspaceId,
    /// `post.created`, `post.updated`, `post.scheduled`, `post.deleted`, `target.publishing`,
    /// `target.published`, `target.failed`, `target.retrying`, `post.status`.
    pub kind: &'static str,
    pub post_id: PostId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_id: Option<TargetId>,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub at: Timestamp,
}

/// Every kind a [`PostEvent`] can have (events from other processes are checked against it).
pub const KINDS: [&str; 9] = [
    "post.created",
    "post.updated",
    "post.scheduled",
    "post.deleted",
    "post.status",
    "target.publishing",
    "target.published",
    "target.failed",
    "target.retrying",
];

/// Events queued for other processes before the newest are dropped (a burst of thousands of
/// publishes): live screens reload on any event, so the ones that do get through are enough.
const RELAY_QUEUE: usize = 4096;
/// Longest `detail` sent to other processes (error messages can be long; payloads are capped).
const RELAYED_DETAIL_CHARS: usize = 500;

/// An event as it travels between processes.
#[derive(Serialize, Deserialize)]
struct Wire {
    ws: WorkspaceId,
    kind: String,
    post: PostId,
    target: Option<TargetId>,
    status: String,
    detail: Option<String>,
    at: i64,
}

/// One NOTIFY payload: events of one process.
#[derive(Serialize, Deserialize)]
struct Batch {
    origin: String,
    events: Vec<Wire>,
}

impl crate::Services {
    /// Tells connected clients, here and (through the relay, when one runs) in other processes;
    /// nobody listening is fine.
    pub(crate) fn emit(&self, event: PostEvent) {
        if let Some(relay) = self.relay.get()
            && relay.try_send(event.clone()).is_err()
        {
            tracing::debug!("live event not relayed to other processes: the relay queue is full");
        }
        let _ = self.events.send(event);
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<PostEvent> {
        self.events.subscribe()
    }

    /// Starts relaying the events raised in this process; returns them, or None when a relay
    /// already runs.
    pub fn relay_events(&self) -> Option<tokio::sync::mpsc::Receiver<PostEvent>> {
        let (sender, receiver) = tokio::sync::mpsc::channel(RELAY_QUEUE);
        self.relay.set(sender).ok()?;
        Some(receiver)
    }

    /// Events as payloads for other processes, each under `max_bytes`.
    pub fn encode_events(&self, events: &[PostEvent], max_bytes: usize) -> Vec<String> {
        let mut payloads = Vec::new();
        let mut batch = Batch { origin: self.origin.to_string(), events: Vec::new() };
        let mut size = 0;
        for e in events {
            let wire = Wire {
                ws: e.workspace_id,
                kind: e.kind.to_owned(),
                post: e.post_id,
                target: e.target_id,
                status: e.status.clone(),
                detail: e.detail.as_ref().map(|d| d.chars().take(RELAYED_DETAIL_CHARS).collect()),
                at: e.at.as_millis(),
            };
            let bytes = serde_json::to_string(&wire).map_or(0, |w| w.len() + 1);
            if size + bytes + 64 > max_bytes && !batch.events.is_empty() {
                payloads.extend(serde_json::to_string(&batch).ok());
                batch.events.clear();
                size = 0;
            }
            size += bytes;
            batch.events.push(wire);
        }
        if !batch.events.is_empty() {
            payloads.extend(serde_json::to_string(&batch).ok());
        }
        payloads
    }

    /// Passes events from another process to this process's clients; returns how many. Our own
    /// payloads (every listener hears its own NOTIFYs) and malformed ones are ignored.
    pub fn receive_encoded(&self, payload: &str) -> usize {
        let Ok(batch) = serde_json::from_str::<Batch>(payload) else {
            tracing::warn!("ignored a malformed live-event payload from another process");
            return 0;
        };
        if batch.origin == *self.origin {
            return 0;
        }
        let mut passed = 0;
        for w in batch.events {
            let Some(kind) = KINDS.iter().find(|k| **k == w.kind) else { continue };
            let event = PostEvent { workspace_id: w.ws, kind, post_id: w.post, target_id: w.target, status: w.status, detail: w.detail, at: Timestamp::from_millis(w.at) };
            passed += usize::from(self.events.send(event).is_ok());
        }
        passed
    }
}

/// How long a WebSocket ticket may be redeemed after it was issued.
const TICKET_SECS: i64 = 60;

impl crate::Services {
    /// A short-lived, signed ticket for opening the event stream from a browser, which cannot
    /// set an Authorization header on a WebSocket. Stateless (any API process accepts it) and
    /// useless a minute later, so it is safe in a URL where an access token would not be.
    pub fn event_ticket(&self, principal: &crate::Principal, workspace: WorkspaceId) -> crate::Result<String> {
        let (user, session) = principal.user()?;
        let expires = self.now().plus_seconds(TICKET_SECS).as_millis();
        let payload = format!("{workspace}.{user}.{session}.{expires}");
        let mac = crate::crypto::keyed_hash(self.keys.jwt_signing_key.expose(), &format!("event-ticket|{payload}"));
        Ok(format!("{payload}.{mac}"))
    }

    /// The caller's access to `workspace` from a ticket, re-checking membership now.
    pub async fn access_from_event_ticket(&self, ticket: &str, workspace: WorkspaceId) -> crate::Result<crate::Access> {
        let invalid = || crate::ServiceError::InvalidToken;
        let (payload, mac) = ticket.rsplit_once('.').ok_or_else(invalid)?;
        let expected = crate::crypto::keyed_hash(self.keys.jwt_signing_key.expose(), &format!("event-ticket|{payload}"));
        if !crate::crypto::hashes_equal(mac, &expected) {
            return Err(invalid());
        }
        let parts: Vec<&str> = payload.split('.').collect();
        let [ws, user, session, expires] = parts[..] else { return Err(invalid()) };
        if ws != workspace.to_string() {
            return Err(invalid());
        }
        if expires.parse::<i64>().map_err(|_| invalid())? < self.now().as_millis() {
            return Err(crate::ServiceError::TokenExpired);
        }
        let principal = crate::Principal::User {
            user_id: user.parse().map_err(|_| invalid())?,
            session_id: session.parse().map_err(|_| invalid())?,
            email: String::new(),
        };
        self.access(&principal, workspace).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::KINDS;

    /// Events from other processes are only passed on when their kind is in `KINDS`: every kind
    /// the use cases raise must be listed, or clients of other processes would silently miss it.
    #[test]
    fn every_kind_raised_is_known_to_the_relay() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/publishing");
        let mut raised = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for piece in source.split("kind: \"").skip(1) {
                let kind = piece.split('"').next().unwrap();
                if kind.contains('.') {
                    raised.push(kind.to_owned());
                }
            }
        }
        assert!(raised.len() >= KINDS.len(), "found {raised:?}");
        for kind in raised {
            assert!(KINDS.contains(&kind.as_str()), "{kind} is raised but missing from KINDS");
        }
    }

    #[tokio::test]
    async fn a_process_ignores_its_own_payloads_and_passes_on_others() {
        let dir = tempfile::tempdir().unwrap();
        let db = zenalto_store::Db::connect("sqlite::memory:", 1).await.unwrap();
        let settings = std::sync::Arc::new(zenalto_settings::Settings { data_dir: dir.path().to_owned(), ..Default::default() });
        let keys = std::sync::Arc::new(crate::keys::Keys::load_or_generate(&settings).unwrap());
        let media = zenalto_media::Storage::from_settings(&settings.media, &settings.data_dir).unwrap();
        let here = crate::Services::new(db.clone(), settings.clone(), keys.clone(), crate::Clock::system(), media.clone());
        let there = crate::Services::new(db, settings, keys, crate::Clock::system(), media);
        let event = super::PostEvent {
            workspace_id: zenalto_domain::WorkspaceId::new(),
            kind: "target.published",
            post_id: zenalto_domain::PostId::new(),
            target_id: None,
            status: "published".into(),
            detail: Some("x".repeat(5_000)),
            at: zenalto_domain::Timestamp::now(),
        };
        let payloads = there.encode_events(&vec![event.clone(); 40], 7_000);
        assert!(payloads.len() > 1 && payloads.iter().all(|p| p.len() < 7_000), "split under the cap: {:?}", payloads.iter().map(String::len).collect::<Vec<_>>());
        let mut heard = here.subscribe();
        let passed: usize = payloads.iter().map(|p| here.receive_encoded(p)).sum();
        assert_eq!(passed, 40);
        let got = heard.recv().await.unwrap();
        assert_eq!((got.kind, got.post_id, got.workspace_id), (event.kind, event.post_id, event.workspace_id));
        assert_eq!(got.detail.unwrap().chars().count(), 500, "long details are cut for the wire");
        assert_eq!(payloads.iter().map(|p| there.receive_encoded(p)).sum::<usize>(), 0, "its own payloads come back and are ignored");
        assert_eq!(here.receive_encoded("not json"), 0);
    }
}
