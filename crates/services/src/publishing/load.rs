//! Reading posts back as the views use cases return: the post row, its targets, parsed.

use std::collections::HashMap;

use zenalto_domain::{
    AccountId, PostId, TargetId, Timestamp, UserId, WorkspaceId,
    posts::{ContentOverride, PostContent, PostStatus, TargetStatus},
    publishing::{MediaFacts, Network},
};
use zenalto_store::{
    Conn,
    repo::{posts::PostRow, targets, targets::TargetRow},
};

use crate::{Result, ServiceError};

#[derive(Clone, Debug)]
pub struct PostView {
    pub id: PostId,
    pub workspace_id: WorkspaceId,
    pub author_id: Option<UserId>,
    pub status: PostStatus,
    pub content: PostContent,
    pub campaign: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub scheduled_at: Option<Timestamp>,
    pub time_zone: Option<String>,
    pub local_time: Option<String>,
    pub recurrence: Option<String>,
    pub version: i64,
    pub targets: Vec<TargetView>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Measured facts of the library assets the content and overrides attach, by asset id;
    /// an id that names no asset of the workspace is absent (and fails validation).
    pub media: HashMap<String, MediaFacts>,
}

#[derive(Clone, Debug)]
pub struct TargetView {
    pub id: TargetId,
    pub account_id: AccountId,
    pub network: Network,
    pub status: TargetStatus,
    pub overrides: Option<ContentOverride>,
    pub error: Option<String>,
    pub platform_post_id: Option<String>,
    pub platform_url: Option<String>,
    pub published_at: Option<Timestamp>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::internal(format!("stored {what} is invalid: {e}"))
}

pub(crate) fn target_view(row: TargetRow) -> Result<TargetView> {
    Ok(TargetView {
        id: row.id,
        account_id: row.account_id,
        network: row.network.parse().map_err(|e| corrupt("network", e))?,
        status: row.status.parse().map_err(|e| corrupt("target status", e))?,
        overrides: row.overrides.as_deref().map(serde_json::from_str).transpose().map_err(|e| corrupt("overrides", e))?,
        error: row.error,
        platform_post_id: row.platform_post_id,
        platform_url: row.platform_url,
        published_at: row.published_at.map(Timestamp::from_millis),
    })
}

pub(crate) fn post_view(row: PostRow, targets: Vec<TargetView>) -> Result<PostView> {
    Ok(PostView {
        id: row.id,
        workspace_id: row.workspace_id,
        author_id: row.author_id.as_deref().and_then(|a| a.parse().ok()),
        status: row.status.parse().map_err(|e| corrupt("post status", e))?,
        content: serde_json::from_str(&row.content).map_err(|e| corrupt("content", e))?,
        campaign: row.campaign,
        tags: serde_json::from_str(&row.tags).map_err(|e| corrupt("tags", e))?,
        notes: row.notes,
        scheduled_at: row.scheduled_at.map(Timestamp::from_millis),
        time_zone: row.time_zone,
        local_time: row.local_time,
        recurrence: row.recurrence,
        version: row.version,
        targets,
        created_at: row.created_at,
        updated_at: row.updated_at,
        media: HashMap::new(),
    })
}

/// The post with its targets and the facts of its attachments.
pub(crate) async fn post(conn: &mut Conn, row: PostRow) -> Result<PostView> {
    let targets = targets::list_for_post(conn, row.workspace_id, row.id).await?.into_iter().map(target_view).collect::<Result<Vec<_>>>()?;
    let mut view = post_view(row, targets)?;
    let mut ids = view.content.media_ids.clone();
    for target in &view.targets {
        ids.extend(target.overrides.iter().flat_map(|o| o.media_ids.iter().flatten().cloned()));
    }
    if !ids.is_empty() {
        view.media = crate::media::media_facts(conn, view.workspace_id, &ids).await?;
    }
    Ok(view)
}
