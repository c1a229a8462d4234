//! Approval: a draft is submitted (by a person or by the agents, with their reasoning) and
//! waits in `pending_approval`; someone with post:publish approves it — which schedules it at
//! its proposed time through the ordinary schedule path, in the same transaction — optionally
//! editing it first, or rejects it with a reason. The reason goes back to the post's trail and
//! to every target account, where the agents read it before their next run.

use serde::Serialize;
use serde_json::{Value, json};
use zenalto_domain::{AccountId, Permission, PostId, Timestamp, posts::PostStatus};
use zenalto_store::{
    Conn, StoreError,
    repo::{agents::approvals, posts},
};

use crate::publishing::{
    PostEvent, PostView,
    posts::PostInput,
    schedule::{ScheduleRequest, Scheduled},
};
use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

const MAX_REASON: usize = 1000;
const MAX_QUEUE: i64 = 500;

/// One entry of a post's approval trail.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalEntry {
    /// submitted, approved, rejected
    pub decision: String,
    /// The rejection reason, or the note given with a submission.
    pub reason: Option<String>,
    /// Why the agents wrote this draft (their submissions only).
    pub reasoning: Option<Value>,
    pub run_id: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub at: Timestamp,
}

/// A post awaiting approval, and its trail (the submission with its reasoning included).
#[derive(Clone, Debug)]
pub struct QueueItem {
    pub post: PostView,
    pub trail: Vec<ApprovalEntry>,
}

fn entry(row: approvals::ApprovalRow) -> ApprovalEntry {
    ApprovalEntry {
        decision: row.decision,
        reason: row.reason,
        reasoning: row.reasoning.as_deref().and_then(|r| serde_json::from_str(r).ok()),
        run_id: row.run_id,
        actor_type: row.actor_type,
        actor_id: row.actor_id,
        at: Timestamp::from_millis(row.created_at),
    }
}

/// What the agents attach to a draft they submit.
pub(crate) struct Submission<'a> {
    pub reasoning: Option<&'a Value>,
    pub run_id: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Moves a locked draft to `pending_approval` and records the submission.
pub(crate) async fn submit_locked(
    conn: &mut Conn,
    access: &Access,
    post: PostId,
    submission: &Submission<'_>,
    meta: &RequestMeta,
    services: &Services,
) -> Result<()> {
    let now = services.now();
    posts::set_status(conn, access.workspace_id, post, PostStatus::PendingApproval.as_str(), now).await?;
    let reasoning = submission.reasoning.map(Value::to_string);
    let new = approvals::NewApproval {
        post_id: post,
        decision: "submitted",
        reason: submission.note,
        reasoning: reasoning.as_deref(),
        run_id: submission.run_id,
        actor_type: access.actor.kind,
        actor_id: Some(&access.actor.id),
    };
    approvals::insert(conn, access.workspace_id, &new, now).await?;
    let event = audit::Event {
        action: "post.submit",
        resource_type: "post",
        resource_id: Some(post.to_string()),
        changes: submission.run_id.map(|r| json!({ "runId": r })),
    };
    audit::record(conn, access, meta, event, services).await
}

/// Locks the post and checks it is awaiting approval.
async fn lock_pending(conn: &mut Conn, services: &Services, access: &Access, id: PostId) -> Result<posts::PostRow> {
    let row = posts::get_for_update(conn, services.db.backend(), access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
    if row.status != PostStatus::PendingApproval.as_str() {
        return Err(ServiceError::Conflict {
            field: None,
            message: format!("only a post awaiting approval can be approved or rejected; this one is {}", row.status),
        });
    }
    Ok(row)
}

impl Services {
    /// Submits a draft for approval (post:update).
    pub async fn submit_for_approval(&self, access: &Access, id: PostId, note: Option<&str>, meta: &RequestMeta) -> Result<PostView> {
        access.require(Permission::PostUpdate)?;
        if note.is_some_and(|n| n.chars().count() > MAX_REASON) {
            return Err(ServiceError::field("note", format!("at most {MAX_REASON} characters")));
        }
        let mut tx = self.db.begin().await?;
        let row = posts::get_for_update(&mut tx, self.db.backend(), access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        if row.status != PostStatus::Draft.as_str() {
            return Err(ServiceError::Conflict { field: None, message: format!("only a draft can be submitted for approval; this one is {}", row.status) });
        }
        let post = crate::publishing::load_post(&mut tx, row).await?;
        if post.targets.is_empty() {
            return Err(ServiceError::field("targets", "choose at least one connected account first"));
        }
        submit_locked(&mut tx, access, id, &Submission { reasoning: None, run_id: None, note }, meta, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent {
            workspace_id: access.workspace_id,
            kind: "post.updated",
            post_id: id,
            target_id: None,
            status: PostStatus::PendingApproval.to_string(),
            detail: None,
            at: self.now(),
        });
        self.get_post(access, id).await
    }

    /// Posts awaiting approval, by proposed time, optionally only those to one account (post:read).
    pub async fn approval_queue(&self, access: &Access, account: Option<AccountId>) -> Result<Vec<QueueItem>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let ids = approvals::pending_posts(&mut conn, access.workspace_id, account, MAX_QUEUE).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let id: PostId = id.parse().map_err(ServiceError::internal)?;
            let Some(row) = posts::get(&mut conn, access.workspace_id, id).await? else {
                continue;
            };
            let post = crate::publishing::load_post(&mut conn, row).await?;
            let trail = approvals::for_post(&mut conn, access.workspace_id, id).await?.into_iter().map(entry).collect();
            out.push(QueueItem { post, trail });
        }
        Ok(out)
    }

    /// A post's approval trail, oldest first (post:read).
    pub async fn approval_trail(&self, access: &Access, id: PostId) -> Result<Vec<ApprovalEntry>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        posts::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        Ok(approvals::for_post(&mut conn, access.workspace_id, id).await?.into_iter().map(entry).collect())
    }

    /// Approves a post awaiting approval (post:publish): optionally edits it first (one call;
    /// `expected_version` as for any edit), then schedules it at `when` or, by default, at its
    /// proposed time, in the same transaction as the approval record. An edit that is saved but
    /// whose scheduling is refused (e.g. a proposed time now past) stays saved, still pending.
    pub async fn approve_post(
        &self,
        access: &Access,
        id: PostId,
        edit: Option<(PostInput, Option<i64>)>,
        when: Option<ScheduleRequest>,
        meta: &RequestMeta,
    ) -> Result<Scheduled> {
        access.require(Permission::PostPublish)?;
        if let Some((input, expected)) = edit {
            let current = self.get_post(access, id).await?;
            if current.status != PostStatus::PendingApproval {
                return Err(ServiceError::Conflict {
                    field: None,
                    message: format!("only a post awaiting approval can be approved; this one is {}", current.status),
                });
            }
            self.update_post_if(access, id, input, expected, meta).await?;
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let row = lock_pending(&mut tx, self, access, id).await?;
        let request = match when {
            Some(request) => request,
            None => {
                let at = row
                    .scheduled_at
                    .map(Timestamp::from_millis)
                    .ok_or_else(|| ServiceError::field("at", "this post has no proposed time; say when to publish it"))?;
                ScheduleRequest { at: Some(at), time_zone: row.time_zone.clone(), ..Default::default() }
            }
        };
        let scheduled = self.schedule_locked(&mut tx, access, row, request, meta, now).await?;
        let new = approvals::NewApproval {
            post_id: id,
            decision: "approved",
            reason: None,
            reasoning: None,
            run_id: None,
            actor_type: access.actor.kind,
            actor_id: Some(&access.actor.id),
        };
        approvals::insert(&mut tx, access.workspace_id, &new, now).await?;
        let event = audit::Event {
            action: "post.approve",
            resource_type: "post",
            resource_id: Some(id.to_string()),
            changes: scheduled.post.scheduled_at.map(|at| json!({ "at": at.to_string() })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.publish_wakeup.notify_one();
        self.emit(PostEvent {
            workspace_id: access.workspace_id,
            kind: "post.scheduled",
            post_id: id,
            target_id: None,
            status: scheduled.post.status.to_string(),
            detail: scheduled.post.scheduled_at.map(|at| at.to_string()),
            at: now,
        });
        Ok(scheduled)
    }

    /// Rejects a post awaiting approval (post:publish): back to draft without a time, the
    /// reason on its trail and kept for each of its accounts.
    pub async fn reject_post(&self, access: &Access, id: PostId, reason: &str, meta: &RequestMeta) -> Result<PostView> {
        access.require(Permission::PostPublish)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(ServiceError::field("reason", format!("say why, in 1–{MAX_REASON} characters, so the next draft can do better")));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let row = lock_pending(&mut tx, self, access, id).await?;
        let post = crate::publishing::load_post(&mut tx, row).await?;
        let schedule = posts::Schedule { at: None, time_zone: None, local_time: None, recurrence: None };
        posts::set_schedule(&mut tx, access.workspace_id, id, &schedule, PostStatus::Draft.as_str(), now).await?;
        let new = approvals::NewApproval {
            post_id: id,
            decision: "rejected",
            reason: Some(reason),
            reasoning: None,
            run_id: None,
            actor_type: access.actor.kind,
            actor_id: Some(&access.actor.id),
        };
        approvals::insert(&mut tx, access.workspace_id, &new, now).await?;
        for target in &post.targets {
            approvals::insert_rejection(&mut tx, access.workspace_id, target.account_id, id, reason, now).await?;
        }
        let event =
            audit::Event { action: "post.reject", resource_type: "post", resource_id: Some(id.to_string()), changes: Some(json!({ "reason": reason })) };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent {
            workspace_id: access.workspace_id,
            kind: "post.updated",
            post_id: id,
            target_id: None,
            status: PostStatus::Draft.to_string(),
            detail: None,
            at: now,
        });
        self.get_post(access, id).await
    }
}
