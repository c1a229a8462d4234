//! The agent pipeline that fills a week for some accounts: per account, research → strategy →
//! content creation → review → schedule optimizer, every step recorded (`record`), the drafts
//! created and submitted for approval with the reasoning behind each (`submit`).

mod content;
pub mod optimizer;
mod record;
mod research;
mod review;
mod strategy;
mod submit;
mod week;

use std::time::Instant;

use serde::Deserialize;
use serde_json::{Value, json};
use zenalto_domain::{
    AccountId, Permission,
    publishing::Network,
    schedule::{TimeZoneName, WeeklySlots},
};
use zenalto_store::{
    StoreError,
    repo::{
        agents::{approvals, runs},
        social_accounts,
    },
};

use self::record::{Engine, Recorder};
use crate::agents::{profiles, voice};
use crate::{Access, RequestMeta, Result, ServiceError, Services};

pub use week::Week;

const MAX_ACCOUNTS: usize = 10;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunInput {
    pub account_ids: Vec<AccountId>,
    /// The first day of the week to fill (`YYYY-MM-DD`, in `time_zone`); default: next Monday.
    pub week_start: Option<String>,
    pub time_zone: String,
}

impl Services {
    /// Fills a week for the given accounts with drafts awaiting approval (post:create). Runs to
    /// the end before answering; the run and its steps are then readable with [`Self::agent_run`].
    pub async fn start_agent_run(&self, access: &Access, input: RunInput, meta: &RequestMeta) -> Result<crate::agents::runs::RunView> {
        self.agent_run_with(access, input, "manual", None, meta).await?.ok_or_else(|| ServiceError::internal("a manual run was not started"))
    }

    /// The run itself; `None` when `autofill_key` was already used (that week is filled).
    pub(crate) async fn agent_run_with(
        &self,
        access: &Access,
        input: RunInput,
        trigger: &str,
        autofill_key: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<Option<crate::agents::runs::RunView>> {
        access.require(Permission::PostCreate)?;
        if input.account_ids.is_empty() || input.account_ids.len() > MAX_ACCOUNTS {
            return Err(ServiceError::field("accountIds", format!("between 1 and {MAX_ACCOUNTS} accounts")));
        }
        let zone = TimeZoneName::parse(&input.time_zone).map_err(|e| ServiceError::field("timeZone", e.to_string()))?;
        let week = Week::settle(input.week_start.as_deref(), &zone, self.now())?;
        {
            let mut conn = self.db.read().await?;
            for (i, account) in input.account_ids.iter().enumerate() {
                if input.account_ids[..i].contains(account) {
                    return Err(ServiceError::field(&format!("accountIds[{i}]"), "listed twice"));
                }
                if social_accounts::get(&mut conn, access.workspace_id, *account).await?.is_none() {
                    return Err(ServiceError::field(&format!("accountIds[{i}]"), "no such connected account in this workspace"));
                }
            }
        }
        let run_id = uuid::Uuid::now_v7().to_string();
        let stored_input = json!({ "accountIds": input.account_ids, "weekStart": week.start.to_string(), "timeZone": zone.as_str() });
        let mut tx = self.db.begin().await?;
        let new = runs::NewRun { id: &run_id, trigger_kind: trigger, input: &stored_input.to_string(), autofill_key, started_by: Some(&access.actor.id) };
        if !runs::insert(&mut tx, access.workspace_id, &new, self.now()).await? {
            return Ok(None);
        }
        tx.commit().await.map_err(StoreError::from)?;
        let mut recorder = Recorder::new(self, access.workspace_id, &run_id);
        let mut drafts = Vec::new();
        let mut outcome = Ok(());
        for account in &input.account_ids {
            match self.fill_account(access, *account, &week, &mut recorder, meta).await {
                Ok(mut made) => drafts.append(&mut made),
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
        }
        let output = json!({ "weekStart": week.start.to_string(), "timeZone": zone.as_str(), "drafts": drafts });
        let (status, error) = match &outcome {
            Ok(()) => ("succeeded", None),
            Err(e) => ("failed", Some(e.to_string())),
        };
        let mut tx = self.db.begin().await?;
        runs::finish(&mut tx, access.workspace_id, &run_id, status, Some(&output.to_string()), error.as_deref(), self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        outcome?;
        Ok(Some(self.agent_run(access, &run_id).await?))
    }

    /// One account's week: the five agents in turn; returns the drafts submitted.
    async fn fill_account(&self, access: &Access, account: AccountId, week: &Week, recorder: &mut Recorder<'_>, meta: &RequestMeta) -> Result<Vec<Value>> {
        let started = recorder.start();
        let mut conn = self.db.read().await?;
        let row = social_accounts::get(&mut conn, access.workspace_id, account).await?.ok_or(ServiceError::NotFound)?;
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let profile = profiles::load(&mut conn, access, account).await?;
        let brand_voice = voice::stored(&mut conn, access.workspace_id).await?;
        let found = research::run(&mut conn, &profile, access.workspace_id).await?;
        drop(conn);
        recorder.record("research", account, json!({ "profile": profile }), json!(found), Engine::local(), started).await?;

        let started = recorder.start();
        let plan = strategy::plan(&profile, &found);
        recorder
            .record(
                "strategy",
                account,
                json!({ "postsPerWeek": profile.posts_per_week, "goals": profile.goals, "rejectedPhrases": found.rejected_phrases }),
                json!(plan),
                Engine::local(),
                started,
            )
            .await?;

        let started = recorder.start();
        let guide = content::guidance(&profile, brand_voice.as_ref(), &found);
        let mut engine = Engine::local();
        let mut written = Vec::new();
        for planned in &plan.posts {
            let (drafted, generation) = content::write(self, access, network, planned, &profile, brand_voice.as_ref(), &guide).await?;
            engine.add(&generation);
            written.push((planned.clone(), drafted));
        }
        let drafts_json: Vec<Value> = written.iter().map(|(_, d)| json!(d)).collect();
        recorder
            .record(
                "content",
                account,
                json!({ "network": network, "guidance": guide, "planned": plan.posts.len() }),
                json!({ "drafts": drafts_json }),
                engine,
                started,
            )
            .await?;

        let started = recorder.start();
        let reviews: Vec<review::Reviewed> =
            written.iter().map(|(_, d)| review::review(network, &d.text, brand_voice.as_ref(), &found.rejected_phrases)).collect();
        let review_out: Vec<Value> = written.iter().zip(&reviews).map(|((_, d), r)| json!({ "theme": d.theme, "review": r })).collect();
        recorder
            .record(
                "review",
                account,
                json!({ "network": network, "drafts": written.len(), "rejectedPhrases": found.rejected_phrases }),
                json!({ "reviews": review_out }),
                Engine::local(),
                started,
            )
            .await?;

        let started = recorder.start();
        let passing: Vec<usize> = (0..written.len()).filter(|i| reviews[*i].passes_validation).collect();
        let slots = row.posting_slots.as_deref().map(serde_json::from_str::<WeeklySlots>).transpose().map_err(ServiceError::internal)?;
        let mut conn = self.db.read().await?;
        let occupied = approvals::occupied_times(&mut conn, access.workspace_id, account, week.from, week.to).await?;
        drop(conn);
        let occupied: Vec<zenalto_domain::Timestamp> = occupied.into_iter().map(zenalto_domain::Timestamp::from_millis).collect();
        // The account's own posting slots win; otherwise the hours its engagement history (shrunk
        // toward the network prior when thin) ranks best, in the run's zone.
        let best = match slots {
            Some(_) => None,
            None => Some(self.ai_best_times(access, account, week.zone.as_str(), optimizer::BEST_TIMES).await?),
        };
        let candidates = match &best {
            Some(best) => optimizer::from_best_times(best, week.start, &week.zone),
            None => optimizer::candidates(slots.as_ref(), week.start, &week.zone),
        };
        let spacing = optimizer::Spacing::for_week(passing.len());
        let chosen = optimizer::choose(&candidates, &occupied, passing.len(), week.earliest(self.now()), week.to, &spacing, &week.zone);
        let mut made = Vec::new();
        for (slot, index) in chosen.iter().zip(&passing) {
            let (planned, drafted) = &written[*index];
            let reasoning =
                json!({ "theme": planned.theme, "angle": planned.angle, "strategy": planned.why, "content": drafted, "review": reviews[*index], "slot": slot });
            let post = submit::draft(self, access, account, &drafted.text, slot, &week.zone, &reasoning, recorder.run_id(), meta).await?;
            made.push(json!({ "postId": post.to_string(), "accountId": account, "network": network, "at": slot.at, "localTime": slot.local_time, "theme": planned.theme, "reasoning": reasoning }));
        }
        let unplaced = passing.len() - chosen.len().min(passing.len());
        let schedule_out = json!({ "candidates": candidates.len(), "occupied": occupied, "spacing": spacing, "chosen": chosen, "unplaced": unplaced, "failedValidation": written.len() - passing.len(), "posts": made.iter().map(|m| m["postId"].clone()).collect::<Vec<_>>() });
        recorder
            .record(
                "schedule",
                account,
                json!({ "weekStart": week.start.to_string(), "timeZone": week.zone.as_str(), "drafts": passing.len(), "postingSlots": slots.is_some(),
                       "bestTimes": best.as_ref().map(|b| json!({ "source": b.source, "samples": b.samples, "confidence": b.confidence })) }),
                schedule_out,
                Engine::local(),
                started,
            )
            .await?;
        Ok(made)
    }
}

/// Timing of a step.
pub(crate) fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}
