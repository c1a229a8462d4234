//! A user's list of signed-in sessions, and revoking one.

use zenalto_domain::{SessionId, UserId};
use zenalto_store::{Cursor, Page, repo::sessions::{self, SessionRow}};

use crate::{RequestMeta, Result, Services};

impl Services {
    pub async fn list_sessions(&self, user: UserId, cursor: &Cursor) -> Result<Page<SessionRow>> {
        let mut conn = self.db.read().await?;
        Ok(sessions::list_active(&mut conn, user, self.now(), cursor).await?)
    }

    /// Revokes one of the user's sessions; another user's session id answers NotFound.
    pub async fn revoke_own_session(&self, user: UserId, session: SessionId, meta: &RequestMeta) -> Result<()> {
        self.revoke_session(user, session, "revoked_by_user", meta).await
    }
}
