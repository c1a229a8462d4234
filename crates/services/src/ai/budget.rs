//! Whether a provider call may go out this month: the workspace's own budget, and the caps of
//! its plan (`[ai.plans.<plan>]`: spend and number of calls). The lower budget applies. A
//! refusal is not an error for features the local engine can serve; it says why instead.

use zenalto_ai::pricing::check_budget;
use zenalto_domain::WorkspaceId;
use zenalto_store::repo::{ai as repo, workspaces};

use super::Fallback;
use super::providers::{Configured, month_start};
use crate::{Result, ServiceError, Services};

impl Services {
    /// `Some(reason)` when this month's budget or call quota is used up.
    pub(crate) async fn ai_over_budget(
        &self,
        workspace: WorkspaceId,
        configured: &Configured,
    ) -> Result<Option<Fallback>> {
        self.ai_budget_refusal(workspace, configured.budget).await
    }

    /// The same, given the workspace's own budget (`Configured::budget`).
    pub(crate) async fn ai_budget_refusal(&self, workspace: WorkspaceId, own_budget: Option<i64>) -> Result<Option<Fallback>> {
        let since = month_start(self.now());
        let mut conn = self.db.read().await?;
        let plan = workspaces::get(&mut conn, workspace)
            .await?
            .ok_or(ServiceError::NotFound)?
            .plan;
        let limits = self.settings.ai.limits(&plan);
        let spent = repo::spend_since(&mut conn, workspace, since).await?.max(0) as u64;
        let own = own_budget.map(|b| b.max(0) as u64);
        let plan_budget = limits.monthly_budget_micros;
        let binding = match (own, plan_budget) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Err(exceeded) = check_budget(binding, spent) {
            let message = if binding == own {
                exceeded.to_string()
            } else {
                format!(
                    "the {plan} plan's monthly AI budget of ${:.2} is used up; upgrade the plan or write it yourself",
                    exceeded.limit_micros as f64 / 1e6
                )
            };
            return Ok(Some(Fallback {
                kind: "budget_exceeded".into(),
                message,
            }));
        }
        if let Some(quota) = limits.monthly_requests {
            let calls = repo::calls_since(&mut conn, workspace, since).await?.max(0) as u64;
            if calls >= quota {
                let message = format!(
                    "the {plan} plan's {quota} AI provider calls this month are used up; upgrade the plan or write it yourself"
                );
                // Our own cap, like the budget: not the provider's quota_exceeded.
                return Ok(Some(Fallback {
                    kind: "budget_exceeded".into(),
                    message,
                }));
            }
        }
        Ok(None)
    }
}
