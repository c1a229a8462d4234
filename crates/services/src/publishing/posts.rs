//! Creating, editing, reading, duplicating and deleting posts.

use serde::{Deserialize, Serialize};
use serde_json::json;
use zenalto_domain::{
    AccountId, Permission, PostId, TargetId,
    posts::{ContentOverride, PostContent, PostStatus, TargetStatus},
};
use zenalto_store::{
    Conn, StoreError,
    queue,
    repo::{attempts, posts, posts::PostFields, social_accounts, targets, versions},
};

use super::{PostEvent, PostView, load};
use crate::{Access, FieldErrors, RequestMeta, Result, ServiceError, Services, audit};

/// One account a post should go to, with its per-network overrides.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetInput {
    pub account_id: AccountId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<ContentOverride>,
}

/// The editable fields of a post. Also the snapshot kept for every version.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostInput {
    pub content: PostContent,
    pub targets: Vec<TargetInput>,
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

const MAX_TEXT: usize = 10_000;
const MAX_TAGS: usize = 20;

impl PostInput {
    /// Shape checks that hold whatever the networks: sizes, duplicate targets, tag form. (The
    /// per-network rules run when a post is scheduled; a draft may break them.)
    pub(super) fn check(&self) -> Result<()> {
        let mut errors = FieldErrors::new();
        if self.content.text.chars().count() > MAX_TEXT {
            errors.insert("content.text".into(), format!("at most {MAX_TEXT} characters"));
        }
        if self.tags.len() > MAX_TAGS || self.tags.iter().any(|t| t.trim().is_empty() || t.chars().count() > 50) {
            errors.insert("tags".into(), format!("at most {MAX_TAGS} tags of 1–50 characters"));
        }
        if self.campaign.as_deref().is_some_and(|c| c.chars().count() > 100) {
            errors.insert("campaign".into(), "at most 100 characters".into());
        }
        if self.notes.as_deref().is_some_and(|n| n.chars().count() > MAX_TEXT) {
            errors.insert("notes".into(), format!("at most {MAX_TEXT} characters"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, t) in self.targets.iter().enumerate() {
            if !seen.insert(t.account_id) {
                errors.insert(format!("targets[{i}].accountId"), "this account is already a target of the post".into());
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(ServiceError::Validation(errors)) }
    }

    fn fields(&self) -> Result<PostFields> {
        Ok(PostFields {
            content: serde_json::to_string(&self.content).map_err(ServiceError::internal)?,
            campaign: self.campaign.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned),
            tags: serde_json::to_string(&self.tags.iter().map(|t| t.trim().to_owned()).collect::<Vec<_>>()).map_err(ServiceError::internal)?,
            notes: self.notes.clone(),
        })
    }
}

impl Services {
    pub async fn create_post(&self, access: &Access, input: PostInput, meta: &RequestMeta) -> Result<PostView> {
        access.require(Permission::PostCreate)?;
        input.check()?;
        let id = PostId::new();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        posts::insert(&mut tx, id, access.workspace_id, access.actor.user_id, PostStatus::Draft.as_str(), &input.fields()?, now).await?;
        insert_targets(&mut tx, access, id, &input.targets, TargetStatus::Draft).await?;
        snapshot(&mut tx, access, id, 1, &input, self).await?;
        let event = audit::Event { action: "post.create", resource_type: "post", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        let row = posts::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let view = load::post(&mut tx, row).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent { workspace_id: access.workspace_id, kind: "post.created", post_id: id, target_id: None, status: view.status.to_string(), detail: None, at: now });
        Ok(view)
    }

    pub async fn get_post(&self, access: &Access, id: PostId) -> Result<PostView> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let row = posts::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        load::post(&mut conn, row).await
    }

    /// Replaces the editable fields. A scheduled post stays scheduled: its pending jobs are
    /// superseded and new ones written for the new version, in the same transaction.
    pub async fn update_post(&self, access: &Access, id: PostId, input: PostInput, meta: &RequestMeta) -> Result<PostView> {
        access.require(Permission::PostUpdate)?;
        input.check()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let row = posts::get_for_update(&mut tx, self.db.backend(), access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let status: PostStatus = row.status.parse().map_err(ServiceError::internal)?;
        ensure_changeable(&mut tx, access, id, status).await?;
        queue::supersede_for_post(&mut tx, access.workspace_id, id, now).await?;
        let version = posts::update_fields(&mut tx, access.workspace_id, id, &input.fields()?, now).await?;
        let target_status = if status == PostStatus::Scheduled { TargetStatus::Scheduled } else { TargetStatus::Draft };
        sync_targets(&mut tx, access, id, &input.targets, target_status).await?;
        snapshot(&mut tx, access, id, version, &input, self).await?;
        let row = posts::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let mut view = load::post(&mut tx, row).await?;
        if status == PostStatus::Scheduled {
            // Re-validate and re-queue the new version at the same time.
            let at = view.scheduled_at.ok_or_else(|| ServiceError::internal("a scheduled post without a time"))?;
            self.check_publishable(&mut tx, &view).await?;
            super::schedule::enqueue_targets(&mut tx, &view, at, self).await?;
        } else if matches!(status, PostStatus::Failed | PostStatus::Cancelled) {
            // Editing a failed or cancelled post makes it a draft again.
            posts::set_status(&mut tx, access.workspace_id, id, PostStatus::Draft.as_str(), now).await?;
            view.status = PostStatus::Draft;
        }
        let event = audit::Event { action: "post.update", resource_type: "post", resource_id: Some(id.to_string()), changes: Some(json!({ "version": version })) };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent { workspace_id: access.workspace_id, kind: "post.updated", post_id: id, target_id: None, status: view.status.to_string(), detail: None, at: now });
        Ok(view)
    }

    /// Deletes a post. Its pending jobs are superseded in the same transaction, so it is never
    /// published afterwards; refused while a network call for it may be in flight.
    pub async fn delete_post(&self, access: &Access, id: PostId, meta: &RequestMeta) -> Result<()> {
        access.require(Permission::PostDelete)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        posts::get_for_update(&mut tx, self.db.backend(), access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        ensure_not_in_flight(&mut tx, access, id).await?;
        queue::supersede_for_post(&mut tx, access.workspace_id, id, now).await?;
        posts::delete(&mut tx, access.workspace_id, id, now).await?;
        let event = audit::Event { action: "post.delete", resource_type: "post", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent { workspace_id: access.workspace_id, kind: "post.deleted", post_id: id, target_id: None, status: "deleted".into(), detail: None, at: now });
        Ok(())
    }

    /// A new draft with the same content, targets, campaign, tags and notes.
    pub async fn duplicate_post(&self, access: &Access, id: PostId, meta: &RequestMeta) -> Result<PostView> {
        let original = self.get_post(access, id).await?;
        let input = PostInput {
            content: original.content,
            targets: original.targets.into_iter().map(|t| TargetInput { account_id: t.account_id, overrides: t.overrides }).collect(),
            campaign: original.campaign,
            tags: original.tags,
            notes: original.notes,
        };
        self.create_post(access, input, meta).await
    }

    /// Posts matching `filter`, by scheduled time.
    pub async fn list_posts(&self, access: &Access, filter: &posts::PostFilter, limit: i64) -> Result<Vec<PostView>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let rows = posts::list(&mut conn, access.workspace_id, filter, limit.clamp(1, 5000)).await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(load::post(&mut conn, row).await?);
        }
        Ok(views)
    }
}

/// Inserts the targets, each checked to be a connected account of this workspace.
async fn insert_targets(conn: &mut Conn, access: &Access, post: PostId, inputs: &[TargetInput], status: TargetStatus) -> Result<()> {
    let now = zenalto_domain::Timestamp::now();
    for (i, t) in inputs.iter().enumerate() {
        let account = social_accounts::get(conn, access.workspace_id, t.account_id)
            .await?
            .ok_or_else(|| ServiceError::field(&format!("targets[{i}].accountId"), "no such connected account in this workspace"))?;
        let new = targets::NewTarget {
            id: TargetId::new(),
            account_id: account.id,
            network: &account.network,
            overrides: t.overrides.as_ref().map(serde_json::to_string).transpose().map_err(ServiceError::internal)?,
            status: status.as_str(),
        };
        targets::insert(conn, access.workspace_id, post, &new, now).await?;
    }
    Ok(())
}

/// Brings the post's targets in line with `inputs`: kept accounts keep their target (and its
/// ledger history), new ones are added, dropped ones removed.
async fn sync_targets(conn: &mut Conn, access: &Access, post: PostId, inputs: &[TargetInput], status: TargetStatus) -> Result<()> {
    let existing = targets::list_for_post(conn, access.workspace_id, post).await?;
    let now = zenalto_domain::Timestamp::now();
    let wanted: Vec<AccountId> = inputs.iter().map(|t| t.account_id).collect();
    for old in existing.iter().filter(|t| !wanted.contains(&t.account_id)) {
        targets::delete(conn, access.workspace_id, old.id).await?;
    }
    let mut new_inputs = Vec::new();
    for input in inputs {
        match existing.iter().find(|t| t.account_id == input.account_id) {
            Some(old) => {
                let overrides = input.overrides.as_ref().map(serde_json::to_string).transpose().map_err(ServiceError::internal)?;
                targets::reset(conn, access.workspace_id, old.id, overrides.as_deref(), status.as_str(), now).await?;
            }
            None => new_inputs.push(input.clone()),
        }
    }
    insert_targets(conn, access, post, &new_inputs, status).await
}

async fn snapshot(conn: &mut Conn, access: &Access, post: PostId, version: i64, input: &PostInput, services: &Services) -> Result<()> {
    let text = serde_json::to_string(input).map_err(ServiceError::internal)?;
    versions::insert(conn, access.workspace_id, post, version, &text, access.actor.user_id, services.now()).await?;
    Ok(())
}

/// A post may change only while no network call for it may be in flight: no running job, and no
/// attempt whose outcome is still unknown (it is verified first, by the worker).
pub(crate) async fn ensure_not_in_flight(conn: &mut Conn, access: &Access, post: PostId) -> Result<()> {
    let in_flight = queue::running_for_post(conn, access.workspace_id, post).await? || attempts::pending_for_post(conn, access.workspace_id, post).await?;
    if in_flight {
        return Err(ServiceError::Conflict {
            field: None,
            message: "this post is being published right now; try again once its outcome is known".into(),
        });
    }
    Ok(())
}

pub(crate) async fn ensure_changeable(conn: &mut Conn, access: &Access, post: PostId, status: PostStatus) -> Result<()> {
    if !status.is_editable() {
        return Err(ServiceError::Conflict { field: None, message: format!("a {status} post cannot be changed; duplicate it instead") });
    }
    ensure_not_in_flight(conn, access, post).await
}
