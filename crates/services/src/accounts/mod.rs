//! Accounts: sign-up, e-mail verification, login with optional two-factor, refresh-token
//! rotation, sessions, password reset and change. One file per operation.

mod codes;
mod login;
mod password;
mod profile;
mod refresh;
mod register;
pub(crate) use register::slug;
mod sessions;
mod two_factor;

pub use codes::CodePurpose;
pub use login::LoginInput;
pub use password::{ChangePasswordInput, ResetPasswordInput};
pub use register::{RegisterInput, Registered};
pub use two_factor::TotpSetup;
use zenalto_domain::{SessionId, Timestamp};
use zenalto_store::{
    Conn,
    repo::{sessions as session_repo, users::UserRow},
};

use crate::{RequestMeta, Result, Services, crypto};

/// A signed-in session handed to the client.
#[derive(Debug)]
pub struct AuthSession {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub session_id: SessionId,
    pub user: UserRow,
}

impl Services {
    /// Opens a session (a new refresh-token family) inside the caller's transaction.
    pub(crate) async fn open_session(&self, conn: &mut Conn, user: UserRow, meta: &RequestMeta) -> Result<AuthSession> {
        let now = self.now();
        let session_id = SessionId::new();
        let expires_at = now.plus_seconds(self.settings.auth.refresh_token_ttl_days * 86_400);
        let new = session_repo::NewSession {
            id: session_id,
            user_id: user.id,
            user_agent: meta.user_agent.as_deref(),
            ip: meta.ip.as_deref(),
            expires_at,
        };
        session_repo::insert(conn, &new, now).await?;
        let refresh_token = self.add_refresh_token(conn, session_id, expires_at, now).await?;
        Ok(AuthSession {
            access_token: self.issue_access_token(user.id, session_id)?,
            refresh_token,
            expires_in: self.settings.auth.access_token_ttl_secs,
            session_id,
            user,
        })
    }

    pub(crate) async fn add_refresh_token(&self, conn: &mut Conn, session: SessionId, expires_at: Timestamp, now: Timestamp) -> Result<String> {
        let token = crypto::random_token();
        session_repo::insert_refresh_token(conn, session, &crypto::sha256_hex(&token), expires_at, now).await?;
        Ok(token)
    }
}

/// Trims a display name and checks its length.
pub(crate) fn parse_name(raw: &str, field: &str, errors: &mut crate::FieldErrors) -> String {
    let name = raw.trim().to_owned();
    if name.is_empty() {
        errors.insert(field.into(), "must not be empty".into());
    } else if name.chars().count() > 100 {
        errors.insert(field.into(), "must be at most 100 characters".into());
    }
    name
}

pub(crate) fn user_is_verified(user: &UserRow) -> bool {
    user.email_verified_at.is_some()
}

