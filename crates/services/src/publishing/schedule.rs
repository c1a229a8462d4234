//! Scheduling: at an instant or at a wall-clock time in an IANA zone (DST-safe), now, or in the
//! account's next free posting slot; unscheduling; and the per-target validation that gates it.
//! The post becomes `scheduled` and its publish jobs exist in the same transaction, or neither.

use serde::{Deserialize, Serialize};
use serde_json::json;
use zenalto_domain::{
    Permission, PostId, Timestamp,
    posts::{PostStatus, TargetStatus},
    publishing::{self, Draft, Issue, Report, Severity},
    schedule::{Adjustment, LocalDateTime, Recurrence, TimeZoneName, WeeklySlots, resolve, to_local},
};
use zenalto_store::{
    Conn, StoreError, queue,
    repo::{posts, social_accounts, targets},
};

use super::{PostEvent, PostView, TargetView, load, posts::ensure_changeable};
use crate::{Access, FieldErrors, RequestMeta, Result, ServiceError, Services, audit};

/// When to publish. Exactly one way: an instant, a wall-clock time in a zone, now, or the next
/// free posting slot of the post's first account.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRequest {
    pub at: Option<Timestamp>,
    pub local_time: Option<String>,
    pub time_zone: Option<String>,
    #[serde(default)]
    pub next_free_slot: bool,
    pub recurrence: Option<RecurrenceInput>,
}

/// A recurring post: an RRULE (RFC 5545) evaluated in the post's zone, and text variations used
/// in turn, one per occurrence.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecurrenceInput {
    pub rrule: String,
    #[serde(default)]
    pub variations: Vec<String>,
    /// Which occurrence this post is (0 for the first); set by Zenalto on the posts it creates.
    #[serde(default)]
    pub index: usize,
    /// The wall-clock start of the series (set by Zenalto when the post is scheduled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtstart: Option<String>,
}

/// The scheduled post, and how its time was settled when the wall-clock time was ambiguous.
#[derive(Clone, Debug)]
pub struct Scheduled {
    pub post: PostView,
    pub adjustment: Adjustment,
    pub warnings: Vec<Issue>,
}

/// The validation of one target.
#[derive(Clone, Debug)]
pub struct TargetReport {
    pub target: TargetView,
    pub report: Report,
    /// The parts the post goes out as: one, or a thread where the network has threads.
    pub parts: Vec<String>,
}

/// How far ahead "add to queue" looks for a free slot.
const SLOT_HORIZON_DAYS: u32 = 366;
/// A time this far in the past is refused (clock skew and slow forms are forgiven).
const PAST_TOLERANCE_SECS: i64 = 60;

/// What one target publishes: rendered text split for the network, checked against its rules.
pub fn evaluate(post: &PostView, target: &TargetView) -> (Report, Vec<String>) {
    let content = post.content.for_target(target.overrides.as_ref());
    let text = content.rendered_text();
    // Attachments are the workspace's library assets, measured at upload.
    let media = content.media_ids.iter().filter_map(|id| post.media.get(id).cloned()).collect();
    let draft = Draft { text: text.clone(), media, link: content.link.clone(), first_comment: content.first_comment.clone(), title: content.title.clone() };
    let mut report = publishing::validate(target.network, &draft);
    let mut parts = vec![text.clone()];
    if report.has(publishing::codes::TEXT_TOO_LONG)
        && let Some(thread) = publishing::split_into_thread(target.network, &text)
    {
        // Too long for one post on a network with threads: it goes out as a thread instead.
        report.issues.retain(|i| i.code != publishing::codes::TEXT_TOO_LONG);
        report.issues.push(Issue {
            severity: Severity::Suggestion,
            code: "posted_as_thread",
            field: "text".into(),
            message: format!("too long for one {} post: it will be published as a thread of {} parts", target.network.label(), thread.len()),
        });
        parts = thread;
    }
    // An id that names no asset of this workspace's library is refused, not silently dropped.
    for (i, id) in content.media_ids.iter().enumerate().filter(|(_, id)| !post.media.contains_key(*id)) {
        report.issues.push(Issue {
            severity: Severity::Error,
            code: "media_not_found",
            field: format!("media[{i}]"),
            message: format!("media {id} does not exist in this workspace's library"),
        });
    }
    (report, parts)
}

impl Services {
    /// Validates every target of a post against its network (post:read).
    pub async fn validate_post(&self, access: &Access, id: PostId) -> Result<Vec<TargetReport>> {
        let post = self.get_post(access, id).await?;
        Ok(post
            .targets
            .iter()
            .map(|t| {
                let (report, parts) = evaluate(&post, t);
                TargetReport { target: t.clone(), report, parts }
            })
            .collect())
    }

    /// Errors from any target block scheduling; they come back as field errors naming the target.
    pub(crate) async fn check_publishable(&self, _conn: &mut Conn, post: &PostView) -> Result<Vec<Issue>> {
        if post.targets.is_empty() {
            return Err(ServiceError::field("targets", "choose at least one connected account to publish to"));
        }
        let mut errors = FieldErrors::new();
        let mut warnings = Vec::new();
        for (i, target) in post.targets.iter().enumerate() {
            let (report, _) = evaluate(post, target);
            for issue in report.issues {
                if issue.severity == Severity::Error {
                    errors.entry(format!("targets[{i}].{}", issue.field)).or_insert(format!("{}: {}", target.network.label(), issue.message));
                } else {
                    warnings.push(issue);
                }
            }
        }
        if errors.is_empty() { Ok(warnings) } else { Err(ServiceError::Validation(errors)) }
    }

    /// Schedules (or reschedules) a post: supersedes its pending jobs and writes new ones for
    /// every target, due at the chosen instant, in one transaction.
    pub async fn schedule_post(&self, access: &Access, id: PostId, request: ScheduleRequest, meta: &RequestMeta) -> Result<Scheduled> {
        access.require(Permission::PostPublish)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let row = posts::get_for_update(&mut tx, self.db.backend(), access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let scheduled = self.schedule_locked(&mut tx, access, row, request, meta, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.publish_wakeup.notify_one();
        self.emit(PostEvent { workspace_id: access.workspace_id, kind: "post.scheduled", post_id: id, target_id: None, status: scheduled.post.status.to_string(), detail: scheduled.post.scheduled_at.map(|at| at.to_string()), at: now });
        Ok(scheduled)
    }

    /// The body of [`Self::schedule_post`] inside the caller's transaction, for a post row the
    /// caller has locked (approval checks the post is awaiting approval, then schedules it,
    /// in one transaction). The caller commits, then wakes the workers and emits the event.
    pub(crate) async fn schedule_locked(&self, tx: &mut Conn, access: &Access, row: posts::PostRow, request: ScheduleRequest, meta: &RequestMeta, now: Timestamp) -> Result<Scheduled> {
        access.require(Permission::PostPublish)?;
        let id = row.id;
        let status: PostStatus = row.status.parse().map_err(ServiceError::internal)?;
        ensure_changeable(&mut *tx, access, id, status).await?;
        let post = load::post(&mut *tx, row).await?;
        let warnings = self.check_publishable(&mut *tx, &post).await?;
        let (at, zone, adjustment) = self.resolve_when(&mut *tx, access, &post, &request, now).await?;
        let local = to_local(at, &zone);
        let recurrence = match &request.recurrence {
            None => None,
            Some(r) => {
                Recurrence::parse(&r.rrule, local, zone.clone()).map_err(|e| ServiceError::field("recurrence.rrule", e.to_string()))?;
                if r.variations.len() > 50 || r.variations.iter().any(|v| v.trim().is_empty()) {
                    return Err(ServiceError::field("recurrence.variations", "up to 50 variations, none empty"));
                }
                let series = RecurrenceInput { dtstart: Some(local.to_string()), index: 0, ..r.clone() };
                Some(serde_json::to_string(&series).map_err(ServiceError::internal)?)
            }
        };
        queue::supersede_for_post(&mut *tx, access.workspace_id, id, now).await?;
        let local_text = local.to_string();
        let schedule = posts::Schedule { at: Some(at), time_zone: Some(zone.as_str()), local_time: Some(&local_text), recurrence: recurrence.as_deref() };
        posts::set_schedule(&mut *tx, access.workspace_id, id, &schedule, PostStatus::Scheduled.as_str(), now).await?;
        targets::set_unpublished_status(&mut *tx, access.workspace_id, id, TargetStatus::Scheduled.as_str(), now).await?;
        let row = posts::get(&mut *tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let post = load::post(&mut *tx, row).await?;
        enqueue_targets(&mut *tx, &post, at, self).await?;
        let event = audit::Event {
            action: "post.schedule",
            resource_type: "post",
            resource_id: Some(id.to_string()),
            changes: Some(json!({ "at": at.to_string(), "timeZone": zone.as_str(), "localTime": local_text, "recurrence": request.recurrence.as_ref().map(|r| &r.rrule) })),
        };
        audit::record(&mut *tx, access, meta, event, self).await?;
        Ok(Scheduled { post, adjustment, warnings })
    }

    /// Publishes as soon as a worker is free.
    pub async fn publish_now(&self, access: &Access, id: PostId, meta: &RequestMeta) -> Result<Scheduled> {
        self.schedule_post(access, id, ScheduleRequest { at: Some(self.now()), ..Default::default() }, meta).await
    }

    /// Back to draft: pending jobs are superseded in the same transaction.
    pub async fn unschedule_post(&self, access: &Access, id: PostId, meta: &RequestMeta) -> Result<PostView> {
        access.require(Permission::PostPublish)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let row = posts::get_for_update(&mut tx, self.db.backend(), access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let status: PostStatus = row.status.parse().map_err(ServiceError::internal)?;
        if status != PostStatus::Scheduled {
            return Err(ServiceError::Conflict { field: None, message: format!("only a scheduled post can be unscheduled; this one is {status}") });
        }
        ensure_changeable(&mut tx, access, id, status).await?;
        queue::supersede_for_post(&mut tx, access.workspace_id, id, now).await?;
        let schedule = posts::Schedule { at: None, time_zone: None, local_time: None, recurrence: None };
        posts::set_schedule(&mut tx, access.workspace_id, id, &schedule, PostStatus::Draft.as_str(), now).await?;
        targets::set_unpublished_status(&mut tx, access.workspace_id, id, TargetStatus::Draft.as_str(), now).await?;
        let event = audit::Event { action: "post.unschedule", resource_type: "post", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        let row = posts::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let post = load::post(&mut tx, row).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent { workspace_id: access.workspace_id, kind: "post.updated", post_id: id, target_id: None, status: post.status.to_string(), detail: None, at: now });
        Ok(post)
    }

    async fn resolve_when(&self, conn: &mut Conn, access: &Access, post: &PostView, r: &ScheduleRequest, now: Timestamp) -> Result<(Timestamp, TimeZoneName, Adjustment)> {
        let zone = match r.time_zone.as_deref() {
            Some(raw) => TimeZoneName::parse(raw).map_err(|e| ServiceError::field("timeZone", e.to_string()))?,
            None => TimeZoneName::utc(),
        };
        let ways = usize::from(r.at.is_some()) + usize::from(r.local_time.is_some()) + usize::from(r.next_free_slot);
        if ways != 1 {
            return Err(ServiceError::field("at", "give exactly one of at, localTime (with timeZone) or nextFreeSlot"));
        }
        let (at, adjustment) = if let Some(at) = r.at {
            (at, Adjustment::None)
        } else if let Some(raw) = &r.local_time {
            if r.time_zone.is_none() {
                return Err(ServiceError::field("timeZone", "a wall-clock time needs its IANA time zone, e.g. Europe/Berlin"));
            }
            let local = LocalDateTime::parse(raw).map_err(|e| ServiceError::field("localTime", e.to_string()))?;
            let resolved = resolve(local, &zone);
            (resolved.at, resolved.adjustment)
        } else {
            let slot = self.next_free_slot(conn, access, post, now).await?;
            return Ok((slot.0, slot.1, Adjustment::None));
        };
        if at < now.plus_seconds(-PAST_TOLERANCE_SECS) {
            return Err(ServiceError::field(if r.at.is_some() { "at" } else { "localTime" }, format!("{at} is in the past; use publish now instead")));
        }
        Ok((at.max(now), zone, adjustment))
    }

    /// The first posting slot of the post's first target account not already taken by another
    /// scheduled post of that account.
    async fn next_free_slot(&self, conn: &mut Conn, access: &Access, post: &PostView, now: Timestamp) -> Result<(Timestamp, TimeZoneName)> {
        let target = post.targets.first().ok_or_else(|| ServiceError::field("targets", "choose an account first"))?;
        let account = social_accounts::get(conn, access.workspace_id, target.account_id).await?.ok_or(ServiceError::NotFound)?;
        let slots: WeeklySlots = account
            .posting_slots
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(ServiceError::internal)?
            .ok_or_else(|| ServiceError::field("nextFreeSlot", format!("@{} has no posting slots; set them first", account.handle)))?;
        let taken = posts::scheduled_times_for_account(conn, access.workspace_id, &account.id.to_string(), now).await?;
        let taken: Vec<Timestamp> = taken.into_iter().map(Timestamp::from_millis).collect();
        let at = slots
            .next_free_slot(now, &taken, SLOT_HORIZON_DAYS)
            .ok_or_else(|| ServiceError::field("nextFreeSlot", "no free posting slot in the next year"))?;
        Ok((at, slots.zone().clone()))
    }
}

/// One publish job per target that is not published yet, for the post's current version.
pub(crate) async fn enqueue_targets(conn: &mut Conn, post: &PostView, at: Timestamp, services: &Services) -> Result<()> {
    for target in post.targets.iter().filter(|t| t.status != TargetStatus::Published) {
        let job = queue::NewJob {
            workspace_id: post.workspace_id,
            target_id: target.id,
            post_id: post.id,
            post_version: post.version,
            account_id: target.account_id,
            network: target.network.to_string(),
            run_at: at,
            max_attempts: services.settings.publishing.max_attempts.max(1),
        };
        queue::enqueue_publish(conn, &job, services.now()).await?;
    }
    queue::notify_workers(conn, services.db.backend()).await?;
    Ok(())
}
