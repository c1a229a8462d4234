//! Creating, listing and renaming workspaces.

use serde_json::json;
use zenalto_domain::{Permission, Role, WorkspaceId};
use zenalto_store::{
    StoreError,
    repo::workspaces::{self, MyWorkspaceRow, WorkspaceRow},
};

use crate::{
    Access, FieldErrors, Principal, RequestMeta, Result, ServiceError, Services,
    accounts::parse_name,
    audit::{self, Event},
};

impl Services {
    /// Creates a workspace owned by the calling person.
    pub async fn create_workspace(&self, principal: &Principal, name: &str, meta: &RequestMeta) -> Result<MyWorkspaceRow> {
        let (user, _) = principal.user()?;
        let Principal::User { email, .. } = principal else { return Err(ServiceError::Unauthorized) };
        let mut errors = FieldErrors::new();
        let name = parse_name(name, "name", &mut errors);
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        let now = self.now();
        let id = WorkspaceId::new();
        let mut tx = self.db.begin().await?;
        workspaces::insert(&mut tx, id, &name, &crate::accounts::slug(&name), now).await?;
        workspaces::add_member(&mut tx, id, user, Role::Owner, now).await?;
        let event = Event { action: "workspace.create", resource_type: "workspace", resource_id: Some(id.to_string()), changes: Some(json!({ "name": name })) };
        audit::record_for_user(&mut tx, id, user, email, meta, event, self).await?;
        let workspace = workspaces::get(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(MyWorkspaceRow { workspace, role: Role::Owner })
    }

    pub async fn workspace(&self, access: &Access) -> Result<WorkspaceRow> {
        let mut conn = self.db.read().await?;
        workspaces::get(&mut conn, access.workspace_id).await?.ok_or(ServiceError::NotFound)
    }

    pub async fn rename_workspace(&self, access: &Access, name: &str, meta: &RequestMeta) -> Result<WorkspaceRow> {
        access.require(Permission::SettingsUpdate)?;
        let mut errors = FieldErrors::new();
        let name = parse_name(name, "name", &mut errors);
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        let mut tx = self.db.begin().await?;
        let before = workspaces::get(&mut tx, access.workspace_id).await?.ok_or(ServiceError::NotFound)?;
        workspaces::rename(&mut tx, access.workspace_id, &name, self.now()).await?;
        let event = Event {
            action: "workspace.update",
            resource_type: "workspace",
            resource_id: Some(access.workspace_id.to_string()),
            changes: Some(json!({ "name": { "from": before.name, "to": name } })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let after = workspaces::get(&mut tx, access.workspace_id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }
}
