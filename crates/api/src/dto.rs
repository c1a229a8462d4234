//! Response shapes shared by several routes. Request bodies live beside their handlers.

use serde::Serialize;
use utoipa::ToSchema;
use zenalto_services::accounts::AuthSession;
use zenalto_store::repo::{
    users::UserRow,
    workspaces::{MyWorkspaceRow, WorkspaceRow},
};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub two_factor_enabled: bool,
    pub created_at: String,
}

impl From<UserRow> for User {
    fn from(u: UserRow) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email,
            name: u.name,
            email_verified: u.email_verified_at.is_some(),
            two_factor_enabled: u.totp_enabled_at.is_some(),
            created_at: u.created_at.to_string(),
        }
    }
}

/// A signed-in session: keep the refresh token secret; it is rotated on every refresh.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Always "Bearer".
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: User,
}

impl From<AuthSession> for Session {
    fn from(s: AuthSession) -> Self {
        Self { access_token: s.access_token, refresh_token: s.refresh_token, token_type: "Bearer", expires_in: s.expires_in, user: s.user.into() }
    }
}

/// A workspace, with the caller's role in it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub plan: String,
    /// owner, admin, manager, editor or viewer.
    pub role: String,
    pub created_at: String,
}

impl Workspace {
    pub fn new(w: WorkspaceRow, role: zenalto_domain::Role) -> Self {
        Self { id: w.id.to_string(), name: w.name, slug: w.slug, plan: w.plan, role: role.to_string(), created_at: w.created_at.to_string() }
    }
}

impl From<MyWorkspaceRow> for Workspace {
    fn from(m: MyWorkspaceRow) -> Self {
        Self::new(m.workspace, m.role)
    }
}

/// Optional-millisecond instants as RFC 3339 text.
pub fn instant(millis: Option<i64>) -> Option<String> {
    millis.map(|m| zenalto_domain::Timestamp::from_millis(m).to_string())
}
