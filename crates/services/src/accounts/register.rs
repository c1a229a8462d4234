//! Sign-up creates the user, their first workspace (as owner) and a verification code, in one
//! transaction; the code is mailed through the outbox. Verifying the code signs the user in.

use serde_json::json;
use zenalto_domain::{EmailAddress, Password, Role, UserId, WorkspaceId};
use zenalto_store::{
    StoreError,
    repo::{users, workspaces},
};

use super::{AuthSession, CodePurpose, parse_name};
use crate::{
    FieldErrors, RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    crypto, mail,
};

pub struct RegisterInput {
    pub email: String,
    pub password: String,
    pub name: String,
    pub workspace_name: Option<String>,
}

pub struct Registered {
    pub user_id: UserId,
    pub email: String,
    pub workspace_id: WorkspaceId,
}

impl Services {
    pub async fn register(&self, input: RegisterInput, meta: &RequestMeta) -> Result<Registered> {
        let mut errors = FieldErrors::new();
        let email = EmailAddress::parse(&input.email).map_err(|e| errors.insert("email".into(), e.to_string())).ok();
        let password = Password::parse(&input.password).map_err(|e| errors.insert("password".into(), e.to_string())).ok();
        let name = parse_name(&input.name, "name", &mut errors);
        let workspace_name = match input.workspace_name.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            Some(w) => parse_name(w, "workspaceName", &mut errors),
            None => format!("{name}'s workspace"),
        };
        let (Some(email), Some(password), true) = (email, password, errors.is_empty()) else {
            return Err(ServiceError::Validation(errors));
        };
        let password_hash = crypto::hash_password(password.expose().to_owned()).await?;
        self.create_account(&email, &name, &password_hash, &workspace_name, false, meta).await
    }

    /// Creates a user with a workspace they own. `verified` skips e-mail verification (used by
    /// `zenalto admin create-user`).
    pub async fn create_account(
        &self,
        email: &EmailAddress,
        name: &str,
        password_hash: &str,
        workspace_name: &str,
        verified: bool,
        meta: &RequestMeta,
    ) -> Result<Registered> {
        let now = self.now();
        let user_id = UserId::new();
        let workspace_id = WorkspaceId::new();
        let mut tx = self.db.begin().await?;
        let new_user = users::NewUser { id: user_id, email: email.as_str(), name, password_hash, email_verified_at: verified.then_some(now) };
        users::insert(&mut tx, &new_user, now).await.map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::Conflict { field: Some("email".into()), message: "an account with this e-mail already exists".into() },
            other => other.into(),
        })?;
        workspaces::insert(&mut tx, workspace_id, workspace_name, &slug(workspace_name), now).await?;
        workspaces::add_member(&mut tx, workspace_id, user_id, Role::Owner, now).await?;
        let event = Event { action: "auth.register", resource_type: "user", resource_id: Some(user_id.to_string()), changes: None };
        audit::record_account(&mut tx, user_id, email.as_str(), meta, event, self).await?;
        let event = Event {
            action: "workspace.create",
            resource_type: "workspace",
            resource_id: Some(workspace_id.to_string()),
            changes: Some(json!({ "name": workspace_name })),
        };
        audit::record_for_user(&mut tx, workspace_id, user_id, email.as_str(), meta, event, self).await?;
        if !verified {
            let code = self.issue_code(&mut tx, user_id, CodePurpose::VerifyEmail).await?;
            mail::enqueue(&mut tx, email.as_str(), mail::verification_code(name, &code, self.code_minutes()), now).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_wakeup.notify_one();
        Ok(Registered { user_id, email: email.as_str().to_owned(), workspace_id })
    }

    /// Confirms the address with the mailed code and signs the user in.
    pub async fn verify_email(&self, email: &str, code: &str, meta: &RequestMeta) -> Result<AuthSession> {
        let email = EmailAddress::parse(email).map_err(|e| ServiceError::field("email", e.to_string()))?;
        let mut tx = self.db.begin().await?;
        // An unknown address answers like a wrong code, so the endpoint reveals nothing.
        let user = users::find_by_email(&mut tx, email.as_str()).await?.ok_or(ServiceError::CodeExpired)?;
        if let Err(refused) = self.check_code(&mut tx, user.id, CodePurpose::VerifyEmail, code).await? {
            tx.commit().await.map_err(StoreError::from)?;
            return Err(refused);
        }
        users::mark_email_verified(&mut tx, user.id, self.now()).await?;
        let event = Event { action: "auth.email_verified", resource_type: "user", resource_id: Some(user.id.to_string()), changes: None };
        audit::record_account(&mut tx, user.id, &user.email, meta, event, self).await?;
        let user = users::get(&mut tx, user.id).await?.ok_or(ServiceError::NotFound)?;
        let session = self.open_session(&mut tx, user, meta).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(session)
    }

    /// Sends a fresh verification code if the account exists and is unverified. Always succeeds,
    /// so the endpoint does not reveal which addresses have accounts.
    pub async fn resend_verification(&self, email: &str) -> Result<()> {
        let Ok(email) = EmailAddress::parse(email) else { return Ok(()) };
        let mut tx = self.db.begin().await?;
        if let Some(user) = users::find_by_email(&mut tx, email.as_str()).await?
            && user.email_verified_at.is_none()
        {
            let code = self.issue_code(&mut tx, user.id, CodePurpose::VerifyEmail).await?;
            mail::enqueue(&mut tx, &user.email, mail::verification_code(&user.name, &code, self.code_minutes()), self.now()).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_wakeup.notify_one();
        Ok(())
    }
}

/// A URL-friendly slug with a random suffix, so two "Acme" workspaces never collide.
pub(crate) fn slug(name: &str) -> String {
    let mut base: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    base.truncate(40);
    if base.is_empty() {
        base = "workspace".into();
    }
    let suffix: String = hex::encode(crypto::random_bytes::<3>());
    format!("{base}-{suffix}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    #[test]
    fn slugs_are_url_safe_and_unique() {
        let a = super::slug("Ada's Café & Co!");
        assert!(a.starts_with("ada-s-caf-co-"), "{a}");
        assert!(a.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        assert_ne!(super::slug("x"), super::slug("x"));
    }
}
