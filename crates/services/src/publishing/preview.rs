//! Checking a draft that is not saved yet: what the composer shows while the user types — per
//! target account, the network's own length count, the issues that would block or warn, and the
//! parts the post would go out as. Nothing is written.

use zenalto_domain::{
    Permission, PostId, TargetId,
    posts::{PostStatus, TargetStatus},
    publishing::{self, Issue, Network, TextLength},
};
use zenalto_store::repo::social_accounts;

use super::{PostView, TargetView, posts::PostInput, schedule::evaluate};
use crate::{Access, Result, ServiceError, Services};

/// One target of a draft, as its network would see it.
pub struct TargetPreview {
    pub account_id: zenalto_domain::AccountId,
    pub network: Network,
    pub handle: String,
    /// The whole text measured in the network's unit, against its limit.
    pub length: TextLength,
    pub unit: &'static str,
    pub publishable: bool,
    pub issues: Vec<Issue>,
    pub parts: Vec<String>,
}

impl Services {
    /// Validates a draft against each target's network without saving it (post:create).
    pub async fn preview_post(&self, access: &Access, input: PostInput) -> Result<Vec<TargetPreview>> {
        access.require(Permission::PostCreate)?;
        input.check()?;
        let mut conn = self.db.read().await?;
        let now = self.now();
        // The library assets the draft and its per-target versions attach, measured at upload.
        let mut media_ids = input.content.media_ids.clone();
        media_ids.extend(input.targets.iter().flat_map(|t| t.overrides.iter().flat_map(|o| o.media_ids.iter().flatten().cloned())));
        let media = if media_ids.is_empty() { Default::default() } else { crate::media::media_facts(&mut conn, access.workspace_id, &media_ids).await? };
        let post = PostView {
            id: PostId::new(),
            workspace_id: access.workspace_id,
            author_id: access.actor.user_id,
            status: PostStatus::Draft,
            content: input.content.clone(),
            campaign: input.campaign.clone(),
            tags: input.tags.clone(),
            notes: None,
            scheduled_at: None,
            time_zone: None,
            local_time: None,
            recurrence: None,
            version: 0,
            targets: Vec::new(),
            created_at: now,
            updated_at: now,
            media,
        };
        let mut previews = Vec::with_capacity(input.targets.len());
        for (i, t) in input.targets.iter().enumerate() {
            let account = social_accounts::get(&mut conn, access.workspace_id, t.account_id)
                .await?
                .ok_or_else(|| ServiceError::field(&format!("targets[{i}].accountId"), "no such connected account in this workspace"))?;
            let network: Network = account.network.parse().map_err(ServiceError::internal)?;
            let target = TargetView {
                id: TargetId::new(),
                account_id: account.id,
                network,
                status: TargetStatus::Draft,
                overrides: t.overrides.clone(),
                error: None,
                platform_post_id: None,
                platform_url: None,
                published_at: None,
            };
            let (report, parts) = evaluate(&post, &target);
            let text = post.content.for_target(target.overrides.as_ref()).rendered_text();
            let rules = publishing::NetworkRules::for_network(network);
            previews.push(TargetPreview {
                account_id: account.id,
                network,
                handle: account.handle,
                length: publishing::count_with(&rules.text, &text),
                unit: rules.text.counting.unit(),
                publishable: !report.blocks_scheduling(),
                issues: report.issues,
                parts,
            });
        }
        Ok(previews)
    }
}
