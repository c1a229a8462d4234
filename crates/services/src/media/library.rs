//! The library: search, one asset, edits (name, alt text, tags, folder), usage by posts, and
//! delete, one by one or in bulk. An asset that a scheduled (or publishing) post uses cannot be
//! deleted: the post would go out without it.

use serde_json::json;
use zenalto_domain::{MediaId, Permission, PostId, Timestamp};
use zenalto_store::{
    StoreError,
    page::{Cursor, Page},
    repo::{media, media::AssetEdit},
};

use super::{AssetView, ingest::storage_error, parse_kind};
use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

/// Search filters from the API.
#[derive(Clone, Debug, Default)]
pub struct AssetFilter {
    pub name: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<String>,
    pub folder_id: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// Changes to an asset; `None` leaves a field as it is. `alt_text: Some("")` clears it and
/// `folder_id: Some("")` moves the asset out of any folder.
#[derive(Clone, Debug, Default)]
pub struct AssetUpdate {
    pub name: Option<String>,
    pub alt_text: Option<String>,
    pub tags: Option<Vec<String>>,
    pub folder_id: Option<String>,
}

/// A post that uses an asset, and how it performed.
#[derive(Clone, Debug)]
pub struct Usage {
    pub post_id: PostId,
    pub status: String,
    pub scheduled_at: Option<Timestamp>,
    /// Summed over the post's targets, once a network reported figures.
    pub performance: Option<Performance>,
}

/// What the networks reported for a post, summed over its targets (`None`: not reported).
#[derive(Clone, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Performance {
    pub impressions: Option<i64>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub clicks: Option<i64>,
    /// Targets whose figures are included.
    pub targets_measured: i64,
}

/// One operation applied to many assets.
#[derive(Clone, Debug)]
pub enum BulkAction {
    AddTags(Vec<String>),
    RemoveTags(Vec<String>),
    Move(Option<String>),
    Delete,
}

/// The result for one asset of a bulk operation.
#[derive(Debug)]
pub struct BulkOutcome {
    pub id: String,
    pub result: Result<()>,
}

/// Statuses in which a post still needs its media.
const PROTECTING: [&str; 3] = ["scheduled", "publishing", "pending_approval"];

fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().trim_start_matches('#').to_lowercase();
        if tag.is_empty() || tag.chars().count() > 50 {
            return Err(ServiceError::field("tags", "tags are 1–50 characters"));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > 50 {
        return Err(ServiceError::field("tags", "at most 50 tags per asset"));
    }
    Ok(out)
}

impl Services {
    /// A page of the library, newest first (post:read).
    pub async fn list_media(&self, access: &Access, filter: AssetFilter, cursor: &Cursor) -> Result<Page<AssetView>> {
        access.require(Permission::PostRead)?;
        if let Some(kind) = &filter.kind
            && parse_kind(kind).is_none()
        {
            return Err(ServiceError::field("type", "one of image, gif, video"));
        }
        let filter = media::AssetFilter {
            name: filter.name.filter(|n| !n.trim().is_empty()),
            tag: filter.tag.map(|t| t.trim().trim_start_matches('#').to_lowercase()).filter(|t| !t.is_empty()),
            kind: filter.kind,
            folder_id: filter.folder_id,
            from: filter.from,
            to: filter.to,
        };
        let mut conn = self.db.read().await?;
        let rows = media::list(&mut conn, access.workspace_id, &filter, &cursor.bound(), cursor.fetch_limit()).await?;
        let views = rows.into_iter().map(AssetView::try_from).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(views, cursor, |a| a.id.to_string()))
    }

    /// One asset (post:read); another workspace's id is not found.
    pub async fn get_media(&self, access: &Access, id: MediaId) -> Result<AssetView> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        media::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound).and_then(AssetView::try_from)
    }

    /// Edits an asset (post:update).
    pub async fn update_media(&self, access: &Access, id: MediaId, update: AssetUpdate, meta: &RequestMeta) -> Result<AssetView> {
        access.require(Permission::PostUpdate)?;
        let current = self.get_media(access, id).await?;
        let name = match &update.name {
            Some(n) if n.trim().is_empty() => return Err(ServiceError::field("name", "the name cannot be empty")),
            Some(n) => super::ingest::clean_name(n),
            None => current.name.clone(),
        };
        let alt_text = match &update.alt_text {
            Some(a) if a.chars().count() > 5000 => return Err(ServiceError::field("altText", "at most 5,000 characters")),
            Some(a) => Some(a.trim().to_owned()).filter(|a| !a.is_empty()),
            None => current.alt_text.clone(),
        };
        let tags = match &update.tags {
            Some(t) => clean_tags(t)?,
            None => current.tags.clone(),
        };
        let folder_id = match &update.folder_id {
            Some(f) => self.folder_in_workspace(access, Some(f)).await?,
            None => current.folder_id.clone(),
        };
        let tags_json = serde_json::to_string(&tags).map_err(ServiceError::internal)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let edit = AssetEdit { name: &name, alt_text: alt_text.as_deref(), tags: &tags_json, folder_id: folder_id.as_deref() };
        if !media::update(&mut tx, access.workspace_id, id, &edit, now).await? {
            return Err(ServiceError::NotFound);
        }
        let event = audit::Event {
            action: "media.update",
            resource_type: "media",
            resource_id: Some(id.to_string()),
            changes: Some(json!({ "name": name, "altText": alt_text.is_some(), "tags": tags, "folderId": folder_id })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let row = media::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        AssetView::try_from(row)
    }

    /// The posts that use an asset (post:read).
    pub async fn media_usage(&self, access: &Access, id: MediaId) -> Result<Vec<Usage>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        media::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        media::usage(&mut conn, access.workspace_id, id)
            .await?
            .into_iter()
            .map(|u| {
                let performance = (u.targets_measured > 0).then_some(Performance {
                    impressions: u.impressions,
                    likes: u.likes,
                    comments: u.comments,
                    shares: u.shares,
                    saves: u.saves,
                    clicks: u.clicks,
                    targets_measured: u.targets_measured,
                });
                Ok(Usage { post_id: u.post_id.parse().map_err(ServiceError::internal)?, status: u.status, scheduled_at: u.scheduled_at.map(Timestamp::from_millis), performance })
            })
            .collect()
    }

    /// Deletes an asset and its files (post:delete), unless a post that has yet to go out uses it.
    pub async fn delete_media(&self, access: &Access, id: MediaId, meta: &RequestMeta) -> Result<()> {
        access.require(Permission::PostDelete)?;
        let mut tx = self.db.begin().await?;
        let row = media::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let blocking: Vec<String> =
            media::usage(&mut tx, access.workspace_id, id).await?.into_iter().filter(|u| PROTECTING.contains(&u.status.as_str())).map(|u| u.post_id).collect();
        if !blocking.is_empty() {
            return Err(ServiceError::Conflict {
                field: None,
                message: format!("{} that has not gone out yet uses this file ({}); remove it from the post or unschedule the post first", if blocking.len() == 1 { "a post" } else { "posts" }, blocking.join(", ")),
            });
        }
        media::delete(&mut tx, access.workspace_id, id).await?;
        let event = audit::Event { action: "media.delete", resource_type: "media", resource_id: Some(id.to_string()), changes: Some(json!({ "name": row.name })) };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        // Files go after the row: a failure here leaves unreferenced files, never a row without its file.
        let prefix = super::asset_prefix(&access.workspace_id.to_string(), &id.to_string());
        if let Err(e) = self.media.delete_prefix(&prefix).await.map_err(storage_error) {
            tracing::warn!(asset = %id, error = %e, "deleted media row but not all of its files");
        }
        Ok(())
    }

    /// Applies one action to many assets; each succeeds or fails on its own (like the single
    /// requests would).
    pub async fn bulk_media(&self, access: &Access, ids: &[String], action: BulkAction, meta: &RequestMeta) -> Result<Vec<BulkOutcome>> {
        if ids.is_empty() || ids.len() > 200 {
            return Err(ServiceError::field("ids", "give 1–200 asset ids"));
        }
        let mut outcomes = Vec::with_capacity(ids.len());
        for raw in ids {
            let result = match raw.parse::<MediaId>() {
                Err(_) => Err(ServiceError::NotFound),
                Ok(id) => self.bulk_media_one(access, id, &action, meta).await,
            };
            outcomes.push(BulkOutcome { id: raw.clone(), result });
        }
        Ok(outcomes)
    }

    async fn bulk_media_one(&self, access: &Access, id: MediaId, action: &BulkAction, meta: &RequestMeta) -> Result<()> {
        match action {
            BulkAction::Delete => self.delete_media(access, id, meta).await,
            BulkAction::Move(folder) => {
                let update = AssetUpdate { folder_id: Some(folder.clone().unwrap_or_default()), ..Default::default() };
                self.update_media(access, id, update, meta).await.map(drop)
            }
            BulkAction::AddTags(add) => {
                let mut tags = self.get_media(access, id).await?.tags;
                tags.extend(add.iter().cloned());
                self.update_media(access, id, AssetUpdate { tags: Some(tags), ..Default::default() }, meta).await.map(drop)
            }
            BulkAction::RemoveTags(remove) => {
                let remove = clean_tags(remove)?;
                let tags: Vec<String> = self.get_media(access, id).await?.tags.into_iter().filter(|t| !remove.contains(t)).collect();
                self.update_media(access, id, AssetUpdate { tags: Some(tags), ..Default::default() }, meta).await.map(drop)
            }
        }
    }
}
