//! Account profiles: what each connected account is for — goals, audience, topics, current
//! projects, how often to post and in what tone — read by the agents and editable by people
//! (and, later, by the assistant) through the same functions.

use serde::{Deserialize, Serialize};
use serde_json::json;
use zenalto_domain::{AccountId, Permission, Timestamp, schedule::TimeZoneName};
use zenalto_store::{
    Conn, StoreError,
    repo::{agents::profiles, social_accounts},
};

use crate::{Access, FieldErrors, RequestMeta, Result, ServiceError, Services, audit};

/// Tones the agents know how to write in (the local engine maps them onto its rewrite rules).
pub const TONES: [&str; 6] = ["friendly", "professional", "playful", "authoritative", "inspirational", "informative"];
/// Posts per week when an account has no profile yet.
const DEFAULT_FREQUENCY: u32 = 3;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountProfile {
    pub account_id: AccountId,
    pub goals: String,
    pub audience: String,
    pub topics: Vec<String>,
    pub current_projects: Vec<String>,
    pub posts_per_week: u32,
    pub tone: String,
    /// The zone the agents plan the account's weeks in.
    pub time_zone: String,
    /// Whether the agents fill next week on their own, once a week.
    pub autofill: bool,
    /// `None` until someone saves the profile (the values are then the defaults).
    pub updated_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileInput {
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub current_projects: Vec<String>,
    pub posts_per_week: i64,
    pub tone: String,
    /// IANA zone; default: the account's posting-slot zone, else UTC.
    pub time_zone: Option<String>,
    #[serde(default)]
    pub autofill: bool,
}

fn check_list(errors: &mut FieldErrors, field: &str, list: &[String], most: usize, longest: usize) {
    if list.len() > most || list.iter().any(|t| t.trim().is_empty() || t.chars().count() > longest) {
        errors.insert(field.into(), format!("at most {most} entries of 1–{longest} characters"));
    }
}

impl ProfileInput {
    fn check(&self) -> Result<()> {
        let mut errors = FieldErrors::new();
        for (field, text) in [("goals", &self.goals), ("audience", &self.audience)] {
            if text.chars().count() > 1000 {
                errors.insert(field.into(), "at most 1000 characters".into());
            }
        }
        check_list(&mut errors, "topics", &self.topics, 20, 100);
        check_list(&mut errors, "currentProjects", &self.current_projects, 10, 300);
        if !(0..=50).contains(&self.posts_per_week) {
            errors.insert("postsPerWeek".into(), "between 0 and 50".into());
        }
        if !TONES.contains(&self.tone.as_str()) {
            errors.insert("tone".into(), format!("one of {}", TONES.join(", ")));
        }
        if let Some(zone) = &self.time_zone
            && TimeZoneName::parse(zone).is_err()
        {
            errors.insert("timeZone".into(), format!("{zone:?} is not an IANA time zone, e.g. Europe/Berlin"));
        }
        if self.autofill && self.posts_per_week == 0 {
            errors.insert("autofill".into(), "set postsPerWeek above 0 for the agents to fill a week".into());
        }
        if self.autofill && self.goals.trim().is_empty() && self.topics.is_empty() && self.current_projects.is_empty() {
            errors.insert("autofill".into(), "give goals, topics or current projects for the agents to write about".into());
        }
        if errors.is_empty() { Ok(()) } else { Err(ServiceError::Validation(errors)) }
    }
}

fn from_row(row: profiles::ProfileRow, account: AccountId) -> Result<AccountProfile> {
    let list = |raw: &str| serde_json::from_str::<Vec<String>>(raw).map_err(ServiceError::internal);
    Ok(AccountProfile {
        account_id: account,
        goals: row.goals,
        audience: row.audience,
        topics: list(&row.topics)?,
        current_projects: list(&row.current_projects)?,
        posts_per_week: u32::try_from(row.posts_per_week).unwrap_or(0),
        tone: row.tone,
        time_zone: row.time_zone,
        autofill: row.autofill == 1,
        updated_at: Some(Timestamp::from_millis(row.updated_at)),
    })
}

/// The account's profile, or the defaults when none was saved; 404 when the account is not a
/// connected account of this workspace.
pub(crate) async fn load(conn: &mut Conn, access: &Access, account: AccountId) -> Result<AccountProfile> {
    let row = social_accounts::get(conn, access.workspace_id, account).await?.ok_or(ServiceError::NotFound)?;
    if let Some(profile) = profiles::get(conn, access.workspace_id, account).await? {
        return from_row(profile, account);
    }
    let zone = row.posting_slots.as_deref().and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()).and_then(|v| v["zone"].as_str().map(str::to_owned));
    Ok(AccountProfile {
        account_id: account,
        goals: String::new(),
        audience: String::new(),
        topics: Vec::new(),
        current_projects: Vec::new(),
        posts_per_week: DEFAULT_FREQUENCY,
        tone: TONES[0].into(),
        time_zone: zone.unwrap_or_else(|| "UTC".into()),
        autofill: false,
        updated_at: None,
    })
}

impl Services {
    /// An account's profile (post:read).
    pub async fn account_profile(&self, access: &Access, account: AccountId) -> Result<AccountProfile> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        load(&mut conn, access, account).await
    }

    /// Replaces an account's profile (post:update: whoever writes the account's posts plans them).
    pub async fn set_account_profile(&self, access: &Access, account: AccountId, input: ProfileInput, meta: &RequestMeta) -> Result<AccountProfile> {
        access.require(Permission::PostUpdate)?;
        input.check()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let current = load(&mut tx, access, account).await?;
        let trimmed = |list: &[String]| serde_json::to_string(&list.iter().map(|t| t.trim().to_owned()).collect::<Vec<_>>()).map_err(ServiceError::internal);
        let row = profiles::ProfileRow {
            account_id: account.to_string(),
            workspace_id: access.workspace_id.to_string(),
            goals: input.goals.trim().to_owned(),
            audience: input.audience.trim().to_owned(),
            topics: trimmed(&input.topics)?,
            current_projects: trimmed(&input.current_projects)?,
            posts_per_week: input.posts_per_week,
            tone: input.tone.clone(),
            time_zone: input.time_zone.clone().unwrap_or(current.time_zone),
            autofill: i64::from(input.autofill),
            updated_at: now.as_millis(),
        };
        profiles::put(&mut tx, &row, Some(&access.actor.id)).await?;
        let event = audit::Event {
            action: "account.profile.update",
            resource_type: "social_account",
            resource_id: Some(account.to_string()),
            changes: Some(json!({ "postsPerWeek": input.posts_per_week, "tone": input.tone, "autofill": input.autofill })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let profile = from_row(row, account)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(profile)
    }
}
