//! The signed-in user's profile and workspaces.

use serde_json::json;
use zenalto_domain::UserId;
use zenalto_store::{
    StoreError,
    repo::{
        users::{self, UserRow},
        workspaces::{self, MyWorkspaceRow},
    },
};

use super::parse_name;
use crate::{
    FieldErrors, RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
};

impl Services {
    pub async fn me(&self, user: UserId) -> Result<(UserRow, Vec<MyWorkspaceRow>)> {
        let mut conn = self.db.read().await?;
        let row = users::get(&mut conn, user).await?.ok_or(ServiceError::NotFound)?;
        let spaces = workspaces::list_for_user(&mut conn, user).await?;
        Ok((row, spaces))
    }

    pub async fn rename_user(&self, user: UserId, name: &str, meta: &RequestMeta) -> Result<UserRow> {
        let mut errors = FieldErrors::new();
        let name = parse_name(name, "name", &mut errors);
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        let mut tx = self.db.begin().await?;
        let before = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        users::set_name(&mut tx, user, &name, self.now()).await?;
        let event = Event {
            action: "user.update",
            resource_type: "user",
            resource_id: Some(user.to_string()),
            changes: Some(json!({ "name": { "from": before.name, "to": name } })),
        };
        audit::record_account(&mut tx, user, &before.email, meta, event, self).await?;
        let after = users::get(&mut tx, user).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }
}
