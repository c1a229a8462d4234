//! Weekly autofill: for every account whose profile asks for it, next week's run starts once.
//! The run's autofill key ("<account id>:<week start>") is unique, so however many workers
//! look, and however often, a week is filled once.

use zenalto_domain::{Role, WorkspaceId, schedule::TimeZoneName};
use zenalto_store::repo::agents::profiles;

use super::pipeline::{RunInput, Week};
use crate::auth::Actor;
use crate::{Access, RequestMeta, Result, Services};

/// Profiles looked at per round.
const BATCH: i64 = 200;

/// How the autofill acts in a workspace: as the system, with an editor's rights — it may write
/// drafts and submit them, never publish.
fn system_access(workspace: WorkspaceId) -> Access {
    Access {
        workspace_id: workspace,
        role: Role::Editor,
        scopes: None,
        actor: Actor { kind: "system", id: "agents.autofill".into(), email: None, user_id: None, session_id: None },
    }
}

impl Services {
    /// Starts next week's run for each autofill account that has none yet; returns how many
    /// started. One account's failure is logged and does not stop the others.
    pub async fn autofill_due(&self) -> Result<usize> {
        let due = {
            let mut conn = self.db.read().await?;
            profiles::list_autofill(&mut conn, BATCH).await?
        };
        let mut started = 0;
        for profile in due {
            let (Ok(workspace), Ok(account)) = (profile.workspace_id.parse::<WorkspaceId>(), profile.account_id.parse()) else {
                continue;
            };
            let zone = TimeZoneName::parse(&profile.time_zone).unwrap_or_else(|_| TimeZoneName::utc());
            let week = Week::settle(None, &zone, self.now())?;
            let key = format!("{}:{}", profile.account_id, week.start);
            let input = RunInput { account_ids: vec![account], week_start: Some(week.start.to_string()), time_zone: zone.as_str().to_owned() };
            match self.agent_run_with(&system_access(workspace), input, "autofill", Some(&key), &RequestMeta::default()).await {
                Ok(Some(_)) => started += 1,
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(%workspace, account = %profile.account_id, %error, "weekly autofill run failed")
                }
            }
        }
        Ok(started)
    }
}
