//! Members of a workspace: list, change role, remove (or leave). A workspace always keeps at
//! least one owner, and nobody grants or removes a role above their own.

use serde_json::json;
use zenalto_domain::{Permission, Role, UserId};
use zenalto_store::{
    Cursor, Page, StoreError,
    repo::workspaces::{self, MemberRow},
};

use crate::{
    Access, RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
};

impl Services {
    /// Every member may see who else is in the workspace.
    pub async fn list_members(&self, access: &Access, cursor: &Cursor) -> Result<Page<MemberRow>> {
        let mut conn = self.db.read().await?;
        Ok(workspaces::list_members(&mut conn, access.workspace_id, cursor).await?)
    }

    pub async fn change_member_role(&self, access: &Access, member: UserId, role: Role, meta: &RequestMeta) -> Result<()> {
        access.require(Permission::TeamManage)?;
        let mut tx = self.db.begin().await?;
        // Serialises concurrent role changes and departures: two owners demoting each other (or
        // leaving) at once must not both see "two owners" and leave none.
        workspaces::lock(&mut tx, access.workspace_id).await?;
        let current = workspaces::role_of(&mut tx, access.workspace_id, member).await?.ok_or(ServiceError::NotFound)?;
        if !access.role.may_grant(current) || !access.role.may_grant(role) {
            return Err(ServiceError::Forbidden(format!("change a member from {current} to {role}")));
        }
        if current == Role::Owner && role != Role::Owner && workspaces::count_owners(&mut tx, access.workspace_id).await? <= 1 {
            return Err(ServiceError::Conflict { field: Some("role".into()), message: "a workspace needs at least one owner".into() });
        }
        workspaces::set_role(&mut tx, access.workspace_id, member, role).await?;
        let event = Event {
            action: "member.role_change",
            resource_type: "member",
            resource_id: Some(member.to_string()),
            changes: Some(json!({ "role": { "from": current, "to": role } })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Removes a member; a member may always remove themselves (leave).
    pub async fn remove_member(&self, access: &Access, member: UserId, meta: &RequestMeta) -> Result<()> {
        let leaving = access.actor.user_id == Some(member) && access.actor.kind == "user";
        if !leaving {
            access.require(Permission::TeamManage)?;
        }
        let mut tx = self.db.begin().await?;
        // Serialises concurrent role changes and departures: two owners demoting each other (or
        // leaving) at once must not both see "two owners" and leave none.
        workspaces::lock(&mut tx, access.workspace_id).await?;
        let current = workspaces::role_of(&mut tx, access.workspace_id, member).await?.ok_or(ServiceError::NotFound)?;
        if !leaving && !access.role.may_grant(current) {
            return Err(ServiceError::Forbidden(format!("remove a member with role {current}")));
        }
        if current == Role::Owner && workspaces::count_owners(&mut tx, access.workspace_id).await? <= 1 {
            return Err(ServiceError::Conflict { field: None, message: "the last owner cannot leave; make someone else owner first".into() });
        }
        workspaces::remove_member(&mut tx, access.workspace_id, member).await?;
        let action = if leaving { "member.leave" } else { "member.remove" };
        let event = Event { action, resource_type: "member", resource_id: Some(member.to_string()), changes: Some(json!({ "role": current })) };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
