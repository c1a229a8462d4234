//! Files without rows. An upload stores its file before it writes the asset row, so a process
//! that dies in between leaves a file nobody can reach; deleting an asset removes its row first,
//! so a storage failure there leaves files too. The sweep removes asset folders that have had
//! no row for longer than an upload can take.

use std::collections::BTreeMap;

use zenalto_domain::WorkspaceId;
use zenalto_store::repo::media;

use super::ingest::storage_error;
use crate::{Result, Services};

/// A folder younger than this may belong to an upload still writing its row.
const GRACE_SECS: i64 = 3600;
/// Ids looked up in one query.
const BATCH: usize = 500;

impl Services {
    /// Deletes asset folders with no row that are older than an hour; returns how many.
    pub async fn sweep_media_orphans(&self) -> Result<usize> {
        let before = self.now().plus_seconds(-GRACE_SECS).as_millis();
        let keys = self.media.list_older("assets/", before).await.map_err(storage_error)?;
        // assets/<workspace>/<asset>/<file>: group the asset ids by workspace.
        let mut folders: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for key in &keys {
            let mut parts = key.split('/').skip(1);
            if let (Some(workspace), Some(asset)) = (parts.next(), parts.next()) {
                let ids = folders.entry(workspace.to_owned()).or_default();
                if !ids.iter().any(|id| id == asset) {
                    ids.push(asset.to_owned());
                }
            }
        }
        let mut removed = 0;
        for (workspace, ids) in folders {
            let Ok(workspace_id) = workspace.parse::<WorkspaceId>() else { continue };
            for batch in ids.chunks(BATCH) {
                let mut conn = self.db.read().await?;
                let known = media::get_many(&mut conn, workspace_id, batch).await?;
                drop(conn);
                for id in batch.iter().filter(|id| !known.iter().any(|row| row.id.to_string() == **id)) {
                    self.media.delete_prefix(&super::asset_prefix(&workspace, id)).await.map_err(storage_error)?;
                    tracing::info!(workspace = %workspace, asset = %id, "removed media files that had no library entry");
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}
