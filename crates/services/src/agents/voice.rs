//! The workspace's brand voice: learned from example texts and the workspace's best posts
//! (by engagement the networks reported, else the latest published posts, else the latest
//! posts of any kind — the answer says which), stored per workspace, and used to score any
//! draft's consistency with it.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zenalto_ai::local::voice::{Consistency, VoiceProfile, learn, score};
use zenalto_domain::{AccountId, Permission, Timestamp, WorkspaceId, posts::PostContent};
use zenalto_store::{Conn, StoreError, repo::agents::voice};

use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

const MAX_EXAMPLES: usize = 50;
const MAX_EXAMPLE_CHARS: usize = 5000;
const MAX_BEST_POSTS: usize = 100;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrandVoice {
    /// `None` until learned.
    pub profile: Option<VoiceProfile>,
    /// What it was learned from: `{examples, bestPosts: {count, rankedBy}}`.
    pub sources: Option<Value>,
    pub updated_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LearnInput {
    #[serde(default)]
    pub examples: Vec<String>,
    /// How many of the workspace's best posts to learn from too (0–100, default 20).
    pub best_posts: Option<usize>,
}

/// The workspace's (or one account's) best posts as rendered text, and how they were ranked:
/// "engagement" (figures from post_metrics), "latest_published", or "latest_posts" (drafts
/// included) when nothing was published yet.
pub(crate) async fn best_posts(conn: &mut Conn, workspace: WorkspaceId, account: Option<AccountId>, limit: usize) -> Result<(Vec<String>, &'static str)> {
    let limit = i64::try_from(limit).unwrap_or(0);
    let render = |raw: &str| serde_json::from_str::<PostContent>(raw).ok().map(|c| c.rendered_text()).filter(|t| !t.trim().is_empty());
    if limit == 0 {
        return Ok((Vec::new(), "none"));
    }
    let ranked = voice::best_by_engagement(conn, workspace, account, limit).await?;
    if !ranked.is_empty() {
        return Ok((ranked.iter().filter_map(|r| render(&r.content)).collect(), "engagement"));
    }
    let published = voice::latest(conn, workspace, account, true, limit).await?;
    if !published.is_empty() {
        return Ok((published.iter().filter_map(|c| render(c)).collect(), "latest_published"));
    }
    let any = voice::latest(conn, workspace, account, false, limit).await?;
    Ok((any.iter().filter_map(|c| render(c)).collect(), "latest_posts"))
}

/// The stored voice of a workspace, if learned.
pub(crate) async fn stored(conn: &mut Conn, workspace: WorkspaceId) -> Result<Option<VoiceProfile>> {
    match voice::get(conn, workspace).await? {
        Some(row) => Ok(Some(serde_json::from_str(&row.profile).map_err(ServiceError::internal)?)),
        None => Ok(None),
    }
}

impl Services {
    /// The workspace's brand voice (post:read).
    pub async fn brand_voice(&self, access: &Access) -> Result<BrandVoice> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let Some(row) = voice::get(&mut conn, access.workspace_id).await? else {
            return Ok(BrandVoice { profile: None, sources: None, updated_at: None });
        };
        Ok(BrandVoice {
            profile: Some(serde_json::from_str(&row.profile).map_err(ServiceError::internal)?),
            sources: serde_json::from_str(&row.sources).ok(),
            updated_at: Some(Timestamp::from_millis(row.updated_at)),
        })
    }

    /// Learns the brand voice from `examples` and the workspace's best posts, replacing the
    /// stored one (settings:update).
    pub async fn learn_brand_voice(&self, access: &Access, input: LearnInput, meta: &RequestMeta) -> Result<BrandVoice> {
        access.require(Permission::SettingsUpdate)?;
        if input.examples.len() > MAX_EXAMPLES || input.examples.iter().any(|e| e.trim().is_empty() || e.chars().count() > MAX_EXAMPLE_CHARS) {
            return Err(ServiceError::field("examples", format!("at most {MAX_EXAMPLES} texts of 1–{MAX_EXAMPLE_CHARS} characters")));
        }
        let wanted = input.best_posts.unwrap_or(20);
        if wanted > MAX_BEST_POSTS {
            return Err(ServiceError::field("bestPosts", format!("between 0 and {MAX_BEST_POSTS}")));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (posts, ranked_by) = best_posts(&mut tx, access.workspace_id, None, wanted).await?;
        let texts: Vec<String> = input.examples.iter().cloned().chain(posts.iter().cloned()).collect();
        let profile =
            learn(&texts).ok_or_else(|| ServiceError::field("examples", "give example texts, or write some posts first: there is nothing to learn from"))?;
        let sources = json!({ "examples": input.examples.len(), "bestPosts": { "count": posts.len(), "rankedBy": ranked_by } });
        let text = serde_json::to_string(&profile).map_err(ServiceError::internal)?;
        voice::put(&mut tx, access.workspace_id, &text, &sources.to_string(), Some(&access.actor.id), now).await?;
        let event = audit::Event {
            action: "ai.brand_voice.learn",
            resource_type: "workspace",
            resource_id: Some(access.workspace_id.to_string()),
            changes: Some(sources.clone()),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(BrandVoice { profile: Some(profile), sources: Some(sources), updated_at: Some(now) })
    }

    /// How consistent a draft is with the brand voice, per dimension, with explanations
    /// (post:read). 409 until the voice is learned.
    pub async fn brand_voice_score(&self, access: &Access, text: &str) -> Result<Consistency> {
        access.require(Permission::PostRead)?;
        if text.trim().is_empty() || text.chars().count() > MAX_EXAMPLE_CHARS {
            return Err(ServiceError::field("text", format!("1–{MAX_EXAMPLE_CHARS} characters")));
        }
        let mut conn = self.db.read().await?;
        let profile = stored(&mut conn, access.workspace_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict { field: None, message: "no brand voice yet: learn it first (PUT …/ai/brand-voice)".into() })?;
        Ok(score(&profile, text))
    }
}
