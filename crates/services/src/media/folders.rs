//! Folders of the media library: flat, uniquely named per workspace.

use serde_json::json;
use zenalto_domain::{MediaFolderId, Permission, Timestamp};
use zenalto_store::{
    StoreError,
    repo::{media_folders, media_folders::FolderRow},
};

use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

#[derive(Clone, Debug)]
pub struct Folder {
    pub id: MediaFolderId,
    pub name: String,
    pub created_at: Timestamp,
}

impl From<FolderRow> for Folder {
    fn from(row: FolderRow) -> Self {
        Self { id: row.id, name: row.name, created_at: row.created_at }
    }
}

impl Services {
    pub async fn list_media_folders(&self, access: &Access) -> Result<Vec<Folder>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        Ok(media_folders::list(&mut conn, access.workspace_id).await?.into_iter().map(Folder::from).collect())
    }

    /// Creates a folder (post:create); names are unique in a workspace.
    pub async fn create_media_folder(&self, access: &Access, name: &str, meta: &RequestMeta) -> Result<Folder> {
        access.require(Permission::PostCreate)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ServiceError::field("name", "1–100 characters"));
        }
        let row = FolderRow { id: MediaFolderId::new(), name: name.to_owned(), created_at: self.now() };
        let mut tx = self.db.begin().await?;
        match media_folders::insert(&mut tx, access.workspace_id, &row).await {
            Err(StoreError::Conflict(_)) => return Err(ServiceError::Conflict { field: Some("name".into()), message: format!("a folder named {name} exists already") }),
            other => other?,
        }
        let event = audit::Event { action: "media_folder.create", resource_type: "media_folder", resource_id: Some(row.id.to_string()), changes: Some(json!({ "name": name })) };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Folder::from(row))
    }

    /// Deletes a folder (post:delete); its assets stay in the library.
    pub async fn delete_media_folder(&self, access: &Access, id: MediaFolderId, meta: &RequestMeta) -> Result<()> {
        access.require(Permission::PostDelete)?;
        let mut tx = self.db.begin().await?;
        if !media_folders::delete(&mut tx, access.workspace_id, id).await? {
            return Err(ServiceError::NotFound);
        }
        let event = audit::Event { action: "media_folder.delete", resource_type: "media_folder", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
