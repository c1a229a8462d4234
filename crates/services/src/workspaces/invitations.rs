//! Invitations by e-mail. The token travels only in the mail (its hash is stored); accepting
//! needs a signed-in user whose verified address is the invited one.

use serde_json::json;
use zenalto_domain::{EmailAddress, InvitationId, Permission, Role, UserId};
pub use zenalto_store::repo::invitations::InvitationRow;
use zenalto_store::{
    Cursor, Page, StoreError,
    repo::{invitations, users, workspaces},
};

use crate::{
    Access, Principal, RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    crypto, mail,
};

impl Services {
    pub async fn invite(&self, access: &Access, email: &str, role: Role, meta: &RequestMeta) -> Result<InvitationRow> {
        access.require(Permission::TeamInvite)?;
        if !access.role.may_grant(role) {
            return Err(ServiceError::Forbidden(format!("invite someone as {role}")));
        }
        let email = EmailAddress::parse(email).map_err(|e| ServiceError::field("email", e.to_string()))?;
        let inviter = access.actor.user_id.ok_or_else(|| ServiceError::Forbidden("invite members with a workspace API key".into()))?;
        let now = self.now();
        let token = crypto::random_token();
        let id = InvitationId::new();
        let days = self.settings.auth.invitation_ttl_days;
        let mut tx = self.db.begin().await?;
        if let Some(existing) = users::find_by_email(&mut tx, email.as_str()).await?
            && workspaces::role_of(&mut tx, access.workspace_id, existing.id).await?.is_some()
        {
            return Err(ServiceError::Conflict { field: Some("email".into()), message: "this person is already a member".into() });
        }
        let workspace = workspaces::get(&mut tx, access.workspace_id).await?.ok_or(ServiceError::NotFound)?;
        let inviter_row = users::get(&mut tx, inviter).await?.ok_or(ServiceError::NotFound)?;
        let new = invitations::NewInvitation {
            id,
            workspace_id: access.workspace_id,
            email: email.as_str(),
            role,
            token_hash: &crypto::sha256_hex(&token),
            invited_by: inviter,
            expires_at: now.plus_seconds(days * 86_400),
        };
        invitations::insert(&mut tx, &new, now).await?;
        let link = format!("{}/invite?token={token}", self.settings.server.public_url.trim_end_matches('/'));
        mail::enqueue(&mut tx, email.as_str(), mail::invitation(&workspace.name, &inviter_row.name, role.as_str(), &link, days), now).await?;
        let event = Event {
            action: "invitation.create",
            resource_type: "invitation",
            resource_id: Some(id.to_string()),
            changes: Some(json!({ "email": email.as_str(), "role": role })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let invitation = invitations::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_wakeup.notify_one();
        Ok(invitation)
    }

    pub async fn list_invitations(&self, access: &Access, cursor: &Cursor) -> Result<Page<InvitationRow>> {
        access.require(Permission::TeamInvite)?;
        let mut conn = self.db.read().await?;
        Ok(invitations::list_open(&mut conn, access.workspace_id, cursor).await?)
    }

    pub async fn revoke_invitation(&self, access: &Access, id: InvitationId, meta: &RequestMeta) -> Result<()> {
        access.require(Permission::TeamInvite)?;
        let mut tx = self.db.begin().await?;
        if !invitations::revoke(&mut tx, access.workspace_id, id, self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        let event = Event { action: "invitation.revoke", resource_type: "invitation", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Joins the workspace named by an invitation token.
    pub async fn accept_invitation(&self, principal: &Principal, token: &str, meta: &RequestMeta) -> Result<(zenalto_store::repo::workspaces::MyWorkspaceRow, UserId)> {
        let (user, _) = principal.user()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let invitation = invitations::find_by_token_hash(&mut tx, &crypto::sha256_hex(token.trim())).await?.ok_or(ServiceError::NotFound)?;
        if invitation.accepted_at.is_some() || invitation.revoked_at.is_some() {
            return Err(ServiceError::field("token", "this invitation was already used or withdrawn"));
        }
        if invitation.expires_at <= now {
            return Err(ServiceError::field("token", "this invitation has expired; ask for a new one"));
        }
        let me = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        if me.email != invitation.email {
            return Err(ServiceError::Forbidden(format!("accept an invitation sent to another address; sign in as {}", invitation.email)));
        }
        if workspaces::role_of(&mut tx, invitation.workspace_id, user).await?.is_some() {
            return Err(ServiceError::Conflict { field: None, message: "you are already a member of this workspace".into() });
        }
        if !invitations::accept(&mut tx, invitation.id, user, now).await? {
            return Err(ServiceError::field("token", "this invitation was already used or withdrawn"));
        }
        // A concurrent accept of another invitation to the same address may have won the race.
        workspaces::add_member(&mut tx, invitation.workspace_id, user, invitation.role, now).await.map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::Conflict { field: None, message: "you are already a member of this workspace".into() },
            other => other.into(),
        })?;
        let event = Event {
            action: "invitation.accept",
            resource_type: "member",
            resource_id: Some(user.to_string()),
            changes: Some(json!({ "role": invitation.role, "invitationId": invitation.id })),
        };
        audit::record_for_user(&mut tx, invitation.workspace_id, user, &me.email, meta, event, self).await?;
        let workspace = workspaces::get(&mut tx, invitation.workspace_id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok((zenalto_store::repo::workspaces::MyWorkspaceRow { workspace, role: invitation.role }, user))
    }
}
