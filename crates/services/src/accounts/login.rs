//! Password login with brute-force protection and optional two-factor. Failures are counted per
//! account in the database (so every API process sees them); reaching the threshold locks the
//! account for `lockout_secs`, doubling with each further lockout up to a day.

use serde_json::json;
use zenalto_domain::{EmailAddress, Timestamp};
use zenalto_store::{
    StoreError,
    repo::users::{self, UserRow},
};

use super::{AuthSession, user_is_verified};
use crate::{
    RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    crypto,
};

pub struct LoginInput {
    pub email: String,
    pub password: String,
    pub totp_code: Option<String>,
    pub recovery_code: Option<String>,
}

const MAX_LOCK_SECS: i64 = 86_400;

impl Services {
    pub async fn login(&self, input: LoginInput, meta: &RequestMeta) -> Result<AuthSession> {
        let Ok(email) = EmailAddress::parse(&input.email) else {
            return Err(ServiceError::InvalidCredentials);
        };
        let user = {
            let mut conn = self.db.read().await?;
            users::find_by_email(&mut conn, email.as_str()).await?
        };
        let Some(user) = user else {
            // Spend the same time as a real check so timing does not reveal unknown addresses.
            crypto::verify_password(input.password, crypto::DUMMY_HASH.clone()).await?;
            return Err(ServiceError::InvalidCredentials);
        };
        let now = self.now();
        if let Some(until) = user.locked_until.filter(|until| *until > now.as_millis()) {
            return Err(ServiceError::AccountLocked { until: Timestamp::from_millis(until) });
        }
        if !crypto::verify_password(input.password, user.password_hash.clone()).await? {
            return Err(self.record_login_failure(&user, meta, "password").await?);
        }
        if !user_is_verified(&user) {
            return Err(ServiceError::EmailNotVerified);
        }
        let mut tx = self.db.begin().await?;
        if user.totp_enabled_at.is_some() {
            let second_factor = match (input.totp_code.as_deref(), input.recovery_code.as_deref()) {
                (None, None) => return Err(ServiceError::TwoFactorRequired),
                (Some(code), _) => self.accept_totp(&mut tx, &user, code).await?,
                (None, Some(code)) => self.spend_recovery_code(&mut tx, &user, code).await?,
            };
            if !second_factor {
                drop(tx);
                return Err(self.record_login_failure(&user, meta, "second_factor").await?);
            }
        }
        users::set_login_failures(&mut tx, user.id, 0, 0, None).await?;
        let event = Event { action: "auth.login", resource_type: "session", resource_id: None, changes: None };
        audit::record_account(&mut tx, user.id, &user.email, meta, event, self).await?;
        let session = self.open_session(&mut tx, user, meta).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(session)
    }

    /// Re-checks the password of a signed-in user (changing the password, turning two-factor
    /// off). Wrong guesses count towards the same lockout as logins, so a stolen session cannot
    /// be used to guess the password either.
    pub(crate) async fn confirm_password(&self, user: &UserRow, password: String, field: &str, meta: &RequestMeta) -> Result<()> {
        if let Some(until) = user.locked_until.filter(|until| *until > self.now().as_millis()) {
            return Err(ServiceError::AccountLocked { until: Timestamp::from_millis(until) });
        }
        if crypto::verify_password(password, user.password_hash.clone()).await? {
            return Ok(());
        }
        match self.record_login_failure(user, meta, "password").await? {
            locked @ ServiceError::AccountLocked { .. } => Err(locked),
            _ => Err(ServiceError::field(field, "is incorrect")),
        }
    }

    /// Counts a failed attempt and returns the error to answer with.
    async fn record_login_failure(&self, user: &UserRow, meta: &RequestMeta, factor: &str) -> Result<ServiceError> {
        let auth = &self.settings.auth;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (failures, lockouts) = users::increment_failed_logins(&mut tx, user.id).await?;
        let outcome = if failures >= auth.lockout_threshold {
            let lock_secs = (auth.lockout_secs << lockouts.min(12)).min(MAX_LOCK_SECS);
            let until = now.plus_seconds(lock_secs);
            users::set_login_failures(&mut tx, user.id, 0, lockouts + 1, Some(until)).await?;
            let event = Event {
                action: "auth.account_locked",
                resource_type: "user",
                resource_id: Some(user.id.to_string()),
                changes: Some(json!({ "lockedForSecs": lock_secs })),
            };
            audit::record_account(&mut tx, user.id, &user.email, meta, event, self).await?;
            ServiceError::AccountLocked { until }
        } else {
            ServiceError::InvalidCredentials
        };
        let event = Event { action: "auth.login_failed", resource_type: "user", resource_id: Some(user.id.to_string()), changes: Some(json!({ "factor": factor })) };
        audit::record_account(&mut tx, user.id, &user.email, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(outcome)
    }
}
