//! Password reset (forgotten, by mailed code) and change (signed in: current password plus a
//! mailed code). Both revoke other sessions: whoever knew the old password is signed out.

use zenalto_domain::{EmailAddress, Password, SessionId, UserId};
use zenalto_store::{
    StoreError,
    repo::{sessions, users},
};

use super::{CodePurpose, user_is_verified};
use crate::{
    FieldErrors, RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    crypto, mail,
};

pub struct ResetPasswordInput {
    pub email: String,
    pub code: String,
    pub new_password: String,
}

pub struct ChangePasswordInput {
    pub current_password: String,
    pub code: String,
    pub new_password: String,
}

fn parse_new_password(raw: &str) -> Result<Password> {
    Password::parse(raw).map_err(|e| ServiceError::Validation(FieldErrors::from([("newPassword".into(), e.to_string())])))
}

impl Services {
    /// Mails a reset code when the address has an account; always succeeds (no enumeration).
    pub async fn forgot_password(&self, email: &str) -> Result<()> {
        let Ok(email) = EmailAddress::parse(email) else { return Ok(()) };
        let mut tx = self.db.begin().await?;
        if let Some(user) = users::find_by_email(&mut tx, email.as_str()).await? {
            let code = self.issue_code(&mut tx, user.id, CodePurpose::ResetPassword).await?;
            mail::enqueue(&mut tx, &user.email, mail::password_reset_code(&user.name, &code, self.code_minutes()), self.now()).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_wakeup.notify_one();
        Ok(())
    }

    pub async fn reset_password(&self, input: ResetPasswordInput, meta: &RequestMeta) -> Result<()> {
        let password = parse_new_password(&input.new_password)?;
        let email = EmailAddress::parse(&input.email).map_err(|e| ServiceError::field("email", e.to_string()))?;
        let hash = crypto::hash_password(password.expose().to_owned()).await?;
        let mut tx = self.db.begin().await?;
        let user = users::find_by_email(&mut tx, email.as_str()).await?.ok_or(ServiceError::CodeExpired)?;
        if let Err(refused) = self.check_code(&mut tx, user.id, CodePurpose::ResetPassword, &input.code).await? {
            tx.commit().await.map_err(StoreError::from)?;
            return Err(refused);
        }
        let now = self.now();
        users::set_password_hash(&mut tx, user.id, &hash, now).await?;
        // Receiving the code proves the mailbox: clear the lockout, and treat the address as verified.
        users::set_login_failures(&mut tx, user.id, 0, 0, None).await?;
        if !user_is_verified(&user) {
            users::mark_email_verified(&mut tx, user.id, now).await?;
        }
        sessions::revoke_all(&mut tx, user.id, None, "password_reset", now).await?;
        let event = Event { action: "auth.password_reset", resource_type: "user", resource_id: Some(user.id.to_string()), changes: None };
        audit::record_account(&mut tx, user.id, &user.email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Mails the code that confirms a password change.
    pub async fn request_password_change_code(&self, user: UserId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let user = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        let code = self.issue_code(&mut tx, user.id, CodePurpose::ChangePassword).await?;
        mail::enqueue(&mut tx, &user.email, mail::password_change_code(&user.name, &code, self.code_minutes()), self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_wakeup.notify_one();
        Ok(())
    }

    pub async fn change_password(&self, user: UserId, current_session: SessionId, input: ChangePasswordInput, meta: &RequestMeta) -> Result<()> {
        let password = parse_new_password(&input.new_password)?;
        let stored = {
            let mut conn = self.db.read().await?;
            users::get(&mut conn, user).await?.ok_or(ServiceError::NotFound)?
        };
        self.confirm_password(&stored, input.current_password, "currentPassword", meta).await?;
        let hash = crypto::hash_password(password.expose().to_owned()).await?;
        let mut tx = self.db.begin().await?;
        if let Err(refused) = self.check_code(&mut tx, user, CodePurpose::ChangePassword, &input.code).await? {
            tx.commit().await.map_err(StoreError::from)?;
            return Err(refused);
        }
        let now = self.now();
        users::set_password_hash(&mut tx, user, &hash, now).await?;
        sessions::revoke_all(&mut tx, user, Some(current_session), "password_changed", now).await?;
        let event = Event { action: "auth.password_changed", resource_type: "user", resource_id: Some(user.to_string()), changes: None };
        audit::record_account(&mut tx, user, &stored.email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

impl Services {
    /// Operator reset (`zenalto admin reset-password`): sets the password, clears any lockout and
    /// signs out every session.
    pub async fn admin_set_password(&self, email: &str, new_password: &str) -> Result<()> {
        let password = parse_new_password(new_password)?;
        let email = EmailAddress::parse(email).map_err(|e| ServiceError::field("email", e.to_string()))?;
        let hash = crypto::hash_password(password.expose().to_owned()).await?;
        let mut tx = self.db.begin().await?;
        let user = users::find_by_email(&mut tx, email.as_str()).await?.ok_or(ServiceError::NotFound)?;
        let now = self.now();
        users::set_password_hash(&mut tx, user.id, &hash, now).await?;
        users::set_login_failures(&mut tx, user.id, 0, 0, None).await?;
        sessions::revoke_all(&mut tx, user.id, None, "admin_password_reset", now).await?;
        let meta = RequestMeta { user_agent: Some("zenalto admin".into()), ..RequestMeta::default() };
        let event = Event { action: "auth.password_reset_by_admin", resource_type: "user", resource_id: Some(user.id.to_string()), changes: None };
        audit::record_account(&mut tx, user.id, &user.email, &meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
