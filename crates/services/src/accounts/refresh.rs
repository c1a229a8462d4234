//! Refresh-token rotation with reuse detection, and logout. Each refresh spends the presented
//! token and issues a new one in the same session (family). Presenting a spent token means it was
//! copied: the whole session is revoked, cutting off both the thief and the victim's copy.

use zenalto_domain::{SessionId, UserId};
use zenalto_store::{
    StoreError,
    repo::{sessions, users},
};

use super::AuthSession;
use crate::{
    RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    crypto,
};

impl Services {
    pub async fn refresh(&self, refresh_token: &str, meta: &RequestMeta) -> Result<AuthSession> {
        let now = self.now();
        let hash = crypto::sha256_hex(refresh_token.trim());
        let mut tx = self.db.begin().await?;
        let token = sessions::find_refresh_token(&mut tx, &hash).await?.ok_or(ServiceError::InvalidToken)?;
        if token.session_revoked_at.is_some() {
            return Err(ServiceError::InvalidToken);
        }
        if token.used_at.is_some() || !sessions::spend_refresh_token(&mut tx, &hash, now).await? {
            sessions::revoke(&mut tx, token.user_id, token.session_id, "refresh_token_reuse", now).await?;
            let user = users::get(&mut tx, token.user_id).await?.ok_or(ServiceError::InvalidToken)?;
            let event = Event {
                action: "auth.refresh_token_reused",
                resource_type: "session",
                resource_id: Some(token.session_id.to_string()),
                changes: None,
            };
            audit::record_account(&mut tx, user.id, &user.email, meta, event, self).await?;
            tx.commit().await.map_err(StoreError::from)?;
            tracing::warn!(session = %token.session_id, "spent refresh token presented again; session revoked");
            return Err(ServiceError::InvalidToken);
        }
        if token.expires_at <= now {
            return Err(ServiceError::TokenExpired);
        }
        let user = users::get(&mut tx, token.user_id).await?.ok_or(ServiceError::InvalidToken)?;
        let session = sessions::get(&mut tx, user.id, token.session_id).await?.ok_or(ServiceError::InvalidToken)?;
        let refresh_token = self.add_refresh_token(&mut tx, token.session_id, session.expires_at, now).await?;
        sessions::touch(&mut tx, token.session_id, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(AuthSession {
            access_token: self.issue_access_token(user.id, token.session_id)?,
            refresh_token,
            expires_in: self.settings.auth.access_token_ttl_secs,
            session_id: token.session_id,
            user,
        })
    }

    /// Ends the caller's session; its access and refresh tokens stop working at once.
    pub async fn logout(&self, user: UserId, session: SessionId, meta: &RequestMeta) -> Result<()> {
        self.revoke_session(user, session, "logout", meta).await
    }

    pub(crate) async fn revoke_session(&self, user: UserId, session: SessionId, reason: &str, meta: &RequestMeta) -> Result<()> {
        let mut tx = self.db.begin().await?;
        if !sessions::revoke(&mut tx, user, session, reason, self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        let email = users::get(&mut tx, user).await?.map(|u| u.email).unwrap_or_default();
        let action = if reason == "logout" { "auth.logout" } else { "auth.session_revoked" };
        let event = Event { action, resource_type: "session", resource_id: Some(session.to_string()), changes: None };
        audit::record_account(&mut tx, user, &email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
