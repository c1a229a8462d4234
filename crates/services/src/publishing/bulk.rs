//! One action on many posts. Each post goes through the same use case as a single request —
//! permissions, validation, supersession of pending jobs and the audit row are identical — and
//! succeeds or fails on its own: there is no all-or-nothing transaction across posts.

use zenalto_domain::{Permission, PostId, posts::PostStatus};

use super::{
    posts::{PostInput, TargetInput},
    schedule::ScheduleRequest,
};
use crate::{Access, FieldErrors, RequestMeta, Result, ServiceError, Services};

/// Posts per request: enough for a month of a busy calendar, few enough to finish in time.
pub const MAX_POSTS: usize = 500;

#[derive(Clone, Debug)]
pub enum BulkAction {
    /// Schedule (drafts) or reschedule (scheduled posts), as `POST …/schedule` does.
    Schedule(ScheduleRequest),
    /// Like `Schedule`, for posts that are scheduled already; anything else is a conflict.
    Reschedule(ScheduleRequest),
    Unschedule,
    Delete,
    Update(BulkUpdate),
}

/// Fields to change on every post; `None` leaves a field alone, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct BulkUpdate {
    pub campaign: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<Option<String>>,
}

impl BulkAction {
    fn permission(&self) -> Permission {
        match self {
            Self::Schedule(_) | Self::Reschedule(_) | Self::Unschedule => Permission::PostPublish,
            Self::Delete => Permission::PostDelete,
            Self::Update(_) => Permission::PostUpdate,
        }
    }
}

impl Services {
    /// Runs `action` on each post in order; one result per id, in the same order. A caller
    /// without the action's permission is refused as a whole (it would fail on every post); an
    /// id that is malformed or not of this workspace is NotFound for that item alone.
    pub async fn bulk_posts(&self, access: &Access, action: &BulkAction, ids: &[String], meta: &RequestMeta) -> Result<Vec<Result<()>>> {
        check_request(action, ids)?;
        access.require(action.permission())?;
        let mut results = Vec::with_capacity(ids.len());
        for raw in ids {
            let result = match raw.parse::<PostId>() {
                Ok(id) => self.bulk_one(access, action, id, meta).await,
                Err(_) => Err(ServiceError::NotFound),
            };
            results.push(result);
        }
        Ok(results)
    }

    async fn bulk_one(&self, access: &Access, action: &BulkAction, id: PostId, meta: &RequestMeta) -> Result<()> {
        match action {
            BulkAction::Schedule(request) => self.schedule_post(access, id, request.clone(), meta).await.map(drop),
            BulkAction::Reschedule(request) => {
                // Checked before, not inside, the schedule transaction: a post unscheduled in
                // between is then simply scheduled, which is what the caller asked for anyway.
                let status = self.get_post(access, id).await?.status;
                if status != PostStatus::Scheduled {
                    return Err(ServiceError::Conflict { field: None, message: format!("only a scheduled post can be rescheduled; this one is {status}") });
                }
                self.schedule_post(access, id, request.clone(), meta).await.map(drop)
            }
            BulkAction::Unschedule => self.unschedule_post(access, id, meta).await.map(drop),
            BulkAction::Delete => self.delete_post(access, id, meta).await,
            BulkAction::Update(update) => {
                // The rest of the post is written back as read, on condition that it is still the
                // version read: an edit landing in between makes this item a conflict, not a loss.
                let post = self.get_post(access, id).await?;
                let version = post.version;
                let input = PostInput {
                    content: post.content,
                    targets: post.targets.into_iter().map(|t| TargetInput { account_id: t.account_id, overrides: t.overrides }).collect(),
                    campaign: update.campaign.clone().unwrap_or(post.campaign),
                    tags: update.tags.clone().unwrap_or(post.tags),
                    notes: update.notes.clone().unwrap_or(post.notes),
                };
                self.update_post_if(access, id, input, Some(version), meta).await.map(drop)
            }
        }
    }
}

fn check_request(action: &BulkAction, ids: &[String]) -> Result<()> {
    let mut errors = FieldErrors::new();
    if ids.is_empty() || ids.len() > MAX_POSTS {
        errors.insert("postIds".into(), format!("give 1–{MAX_POSTS} post ids"));
    } else {
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = ids.iter().find(|id| !seen.insert(id.as_str())) {
            errors.insert("postIds".into(), format!("{twice} is listed twice"));
        }
    }
    if let BulkAction::Update(u) = action
        && u.campaign.is_none()
        && u.tags.is_none()
        && u.notes.is_none()
    {
        errors.insert("update".into(), "give at least one of campaign, tags or notes".into());
    }
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Validation(errors)) }
}
