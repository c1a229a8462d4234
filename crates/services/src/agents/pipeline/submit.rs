//! Turning an agent's draft into a post awaiting approval at its proposed time: the post is
//! created like any other (audited), then moved to `pending_approval` with its time and the
//! reasoning behind it in one transaction.

use serde_json::Value;
use zenalto_domain::{
    AccountId, PostId,
    posts::{PostContent, PostStatus},
    schedule::TimeZoneName,
};
use zenalto_store::{StoreError, repo::posts};

use super::optimizer::Slot;
use crate::agents::approvals::{Submission, submit_locked};
use crate::publishing::{
    PostEvent,
    posts::{PostInput, TargetInput},
};
use crate::{Access, RequestMeta, Result, ServiceError, Services};

#[allow(clippy::too_many_arguments)]
pub(crate) async fn draft(
    services: &Services,
    access: &Access,
    account: AccountId,
    text: &str,
    slot: &Slot,
    zone: &TimeZoneName,
    reasoning: &Value,
    run_id: &str,
    meta: &RequestMeta,
) -> Result<PostId> {
    let theme = reasoning["theme"].as_str().unwrap_or_default();
    let input = PostInput {
        content: PostContent { text: text.to_owned(), ..Default::default() },
        targets: vec![TargetInput { account_id: account, overrides: None }],
        campaign: None,
        tags: vec!["agents".into()],
        notes: Some(format!("Drafted by the agents (run {run_id}) about \"{theme}\" for {}: {}", slot.local_time, slot.why)),
    };
    let post = services.create_post(access, input, meta).await?;
    let mut tx = services.db.begin().await?;
    posts::get_for_update(&mut tx, services.db.backend(), access.workspace_id, post.id).await?.ok_or(ServiceError::NotFound)?;
    let schedule = posts::Schedule { at: Some(slot.at), time_zone: Some(zone.as_str()), local_time: Some(&slot.local_time), recurrence: None };
    posts::set_schedule(&mut tx, access.workspace_id, post.id, &schedule, PostStatus::PendingApproval.as_str(), services.now()).await?;
    submit_locked(&mut tx, access, post.id, &Submission { reasoning: Some(reasoning), run_id: Some(run_id), note: None }, meta, services).await?;
    tx.commit().await.map_err(StoreError::from)?;
    services.emit(PostEvent {
        workspace_id: access.workspace_id,
        kind: "post.updated",
        post_id: post.id,
        target_id: None,
        status: PostStatus::PendingApproval.to_string(),
        detail: Some(slot.at.to_string()),
        at: services.now(),
    });
    Ok(post.id)
}
