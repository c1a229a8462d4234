//! Live post events for WebSocket clients. In-process broadcast: the API and the workers of one
//! `zenalto serve` share it. (Across processes, clients still see every change on their next
//! read; cross-node fan-out is documented in docs/architecture.md as future work.)

use serde::Serialize;
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

impl crate::Services {
    /// Tells connected clients; nobody listening is fine.
    pub(crate) fn emit(&self, event: PostEvent) {
        let _ = self.events.send(event);
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<PostEvent> {
        self.events.subscribe()
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
