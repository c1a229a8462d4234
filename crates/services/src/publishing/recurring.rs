//! Recurring posts. Each occurrence is a post of its own (with its own targets, outcome and
//! metrics); when one ends, the next is written, scheduled at the rule's next occurrence in the
//! series' zone and carrying the next text variation, in the same transaction.

use zenalto_domain::{
    PostId, TargetId,
    posts::{PostStatus, TargetStatus},
    schedule::{LocalDateTime, Recurrence, TimeZoneName, to_local, variation_for},
};
use zenalto_store::{
    Conn,
    repo::{posts, targets, versions},
};

use super::{PostView, load, posts::{PostInput, TargetInput}, schedule::{RecurrenceInput, enqueue_targets}};
use crate::{Result, ServiceError, Services};

pub(crate) async fn schedule_next(conn: &mut Conn, services: &Services, post: &PostView) -> Result<Option<PostId>> {
    let (Some(raw), Some(at), Some(zone)) = (post.recurrence.as_deref(), post.scheduled_at, post.time_zone.as_deref()) else { return Ok(None) };
    let series: RecurrenceInput = serde_json::from_str(raw).map_err(ServiceError::internal)?;
    let zone = TimeZoneName::parse(zone).map_err(ServiceError::internal)?;
    let start = match series.dtstart.as_deref() {
        Some(s) => LocalDateTime::parse(s).map_err(ServiceError::internal)?,
        None => to_local(at, &zone),
    };
    let rule = Recurrence::parse(&series.rrule, start, zone.clone()).map_err(ServiceError::internal)?;
    let Some(next_at) = rule.next_after(at.max(services.now())) else { return Ok(None) };
    let index = series.index + 1;
    let mut content = post.content.clone();
    if !series.variations.is_empty() {
        content.text = series.variations[variation_for(index, series.variations.len())].clone();
    }
    let next_series = RecurrenceInput { index, ..series };
    let id = PostId::new();
    let now = services.now();
    let input = PostInput {
        content,
        targets: post.targets.iter().map(|t| TargetInput { account_id: t.account_id, overrides: t.overrides.clone() }).collect(),
        campaign: post.campaign.clone(),
        tags: post.tags.clone(),
        notes: post.notes.clone(),
    };
    let fields = posts::PostFields {
        content: serde_json::to_string(&input.content).map_err(ServiceError::internal)?,
        campaign: input.campaign.clone(),
        tags: serde_json::to_string(&input.tags).map_err(ServiceError::internal)?,
        notes: input.notes.clone(),
    };
    posts::insert(conn, id, post.workspace_id, post.author_id, PostStatus::Scheduled.as_str(), &fields, now).await?;
    for t in &post.targets {
        let overrides = t.overrides.as_ref().map(serde_json::to_string).transpose().map_err(ServiceError::internal)?;
        let new = targets::NewTarget { id: TargetId::new(), account_id: t.account_id, network: t.network.as_str(), overrides, status: TargetStatus::Scheduled.as_str() };
        targets::insert(conn, post.workspace_id, id, &new, now).await?;
    }
    let local = to_local(next_at, &zone).to_string();
    let recurrence = serde_json::to_string(&next_series).map_err(ServiceError::internal)?;
    let schedule = posts::Schedule { at: Some(next_at), time_zone: Some(zone.as_str()), local_time: Some(&local), recurrence: Some(&recurrence) };
    let version = posts::set_schedule(conn, post.workspace_id, id, &schedule, PostStatus::Scheduled.as_str(), now).await?;
    versions::insert(conn, post.workspace_id, id, version, &serde_json::to_string(&input).map_err(ServiceError::internal)?, post.author_id, now).await?;
    let row = posts::get(conn, post.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
    let next = load::post(conn, row).await?;
    enqueue_targets(conn, &next, next_at, services).await?;
    Ok(Some(id))
}
