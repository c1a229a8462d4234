//! The iCalendar feed of a workspace's scheduled and published posts. Calendar apps cannot send a
//! bearer token, so the feed URL carries one: the workspace id, the user id and an HMAC-SHA256 of
//! both under a key derived from the server's signing key. It needs no table, and it stops
//! working the moment the user stops being a member (or loses post:read), because membership is
//! checked on every fetch. It cannot be revoked on its own: that would need a stored generation
//! per user; rotating the signing key revokes every feed at once.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use zenalto_domain::{
    Permission, UserId, WorkspaceId,
    posts::PostStatus,
    schedule::{CalendarEvent, render_calendar},
};
use zenalto_store::repo::{posts::PostFilter, workspaces};

use super::PostView;
use crate::{Access, Result, ServiceError, Services, auth::Actor, crypto};

/// Separates the feed key from every other use of the signing key.
const KEY_PURPOSE: &str = "zenalto calendar feed key v1";
const PAST_DAYS: i64 = 30;
const AHEAD_DAYS: i64 = 366;
/// Longest summary, in characters.
const SUMMARY_CHARS: usize = 60;

impl Services {
    /// The caller's feed token for this workspace (post:read). Only people have one: an API key
    /// is not a member whose removal could end the feed.
    pub fn calendar_feed_token(&self, access: &Access) -> Result<String> {
        access.require(Permission::PostRead)?;
        let user = match (access.actor.kind, access.actor.user_id) {
            ("user", Some(user)) => user,
            _ => return Err(ServiceError::Forbidden("create a calendar feed with an API key; sign in instead".into())),
        };
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(access.workspace_id.as_uuid().as_bytes());
        bytes.extend_from_slice(user.as_uuid().as_bytes());
        bytes.extend_from_slice(&self.feed_mac(access.workspace_id, user)?);
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The feed for a token: posts from 30 days back to 366 days ahead. Any failure — a malformed
    /// or tampered token, a removed member — is NotFound, so a probe learns nothing.
    pub async fn calendar_feed(&self, token: &str) -> Result<String> {
        let (workspace_id, user_id) = self.verify_feed_token(token).ok_or(ServiceError::NotFound)?;
        let (role, workspace) = {
            let mut conn = self.db.read().await?;
            let role = workspaces::role_of(&mut conn, workspace_id, user_id).await?.ok_or(ServiceError::NotFound)?;
            (role, workspaces::get(&mut conn, workspace_id).await?.ok_or(ServiceError::NotFound)?)
        };
        let access = Access {
            workspace_id,
            role,
            scopes: None,
            actor: Actor { kind: "user", id: user_id.to_string(), email: None, user_id: Some(user_id), session_id: None },
        };
        if !access.can(Permission::PostRead) {
            return Err(ServiceError::NotFound);
        }
        let now = self.now();
        let filter = PostFilter {
            from: Some(now.plus_seconds(-PAST_DAYS * 86_400)),
            to: Some(now.plus_seconds(AHEAD_DAYS * 86_400)),
            // A post being published, or published on some networks only, has still gone out.
            statuses: [PostStatus::Scheduled, PostStatus::Publishing, PostStatus::Published, PostStatus::PartiallyPublished]
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            ..PostFilter::default()
        };
        // A calendar app has no way to show "more": past the ceiling the feed keeps the earliest
        // posts of its window (30 days back, a year ahead).
        let posts = self.list_posts(&access, &filter, super::calendar::MAX_POSTS).await?;
        let base = self.settings.server.public_url.trim_end_matches('/');
        let events: Vec<CalendarEvent> = posts.iter().filter_map(|p| event(p, base)).collect();
        Ok(render_calendar(&format!("Zenalto — {}", workspace.name), &events))
    }

    fn feed_mac(&self, workspace: WorkspaceId, user: UserId) -> Result<Vec<u8>> {
        let key = crypto::keyed_hash(self.keys.jwt_signing_key.expose(), KEY_PURPOSE);
        hex::decode(crypto::keyed_hash(key.as_bytes(), &format!("{workspace}:{user}"))).map_err(ServiceError::internal)
    }

    fn verify_feed_token(&self, token: &str) -> Option<(WorkspaceId, UserId)> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != 64 {
            return None;
        }
        let workspace = WorkspaceId::from(uuid::Uuid::from_slice(&bytes[..16]).ok()?);
        let user = UserId::from(uuid::Uuid::from_slice(&bytes[16..32]).ok()?);
        let expected = hex::encode(self.feed_mac(workspace, user).ok()?);
        crypto::hashes_equal(&expected, &hex::encode(&bytes[32..])).then_some((workspace, user))
    }
}

fn event(post: &PostView, base: &str) -> Option<CalendarEvent> {
    let mut networks: Vec<&str> = post.targets.iter().map(|t| t.network.label()).collect();
    networks.sort_unstable();
    networks.dedup();
    Some(CalendarEvent {
        uid: format!("{}@zenalto", post.id),
        start: post.scheduled_at?,
        summary: post.content.text.chars().take(SUMMARY_CHARS).collect(),
        description: format!("Networks: {}\nStatus: {}", networks.join(", "), post.status),
        url: Some(format!("{base}/posts/{}", post.id)),
        status: post.status.to_string(),
        updated: post.updated_at,
    })
}
