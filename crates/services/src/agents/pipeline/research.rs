//! Research: what the agents know about an account before planning — its profile, its best
//! posts (and how they were ranked), the key phrases and hashtags of those posts, and why
//! earlier drafts for it were rejected.

use serde::Serialize;
use zenalto_ai::local::hashtags::{PastPost, suggest};
use zenalto_ai::local::keywords::rake;
use zenalto_ai::local::risk::rejection_phrases;
use zenalto_store::{Conn, repo::agents::approvals};

use crate::Result;
use crate::agents::{profiles::AccountProfile, voice::best_posts};

/// How many of the account's best posts research reads.
const TOP_POSTS: usize = 10;
const REJECTIONS: i64 = 10;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Research {
    /// "engagement", "latest_published", "latest_posts" or "none".
    pub top_posts_ranked_by: &'static str,
    pub top_posts: Vec<String>,
    pub key_phrases: Vec<String>,
    pub hashtags: Vec<String>,
    pub rejection_reasons: Vec<String>,
    /// The phrases of those reasons that the review watches for.
    pub rejected_phrases: Vec<String>,
}

pub async fn run(conn: &mut Conn, profile: &AccountProfile, workspace: zenalto_domain::WorkspaceId) -> Result<Research> {
    let (top_posts, ranked_by) = best_posts(conn, workspace, Some(profile.account_id), TOP_POSTS).await?;
    let joined = top_posts.join("\n");
    let key_phrases = rake(&joined, 10).into_iter().map(|k| k.phrase).collect();
    let history: Vec<PastPost> = top_posts.iter().map(|t| PastPost { text: t.clone(), engagement: 0.0 }).collect();
    let about = format!("{} {} {}", profile.goals, profile.topics.join(" "), profile.current_projects.join(" "));
    let hashtags = if about.trim().is_empty() && history.is_empty() {
        Vec::new()
    } else {
        suggest(&format!("{about} {joined}"), &history, 5).into_iter().map(|s| s.tag).collect()
    };
    let rejection_reasons = approvals::rejections_for_account(conn, workspace, profile.account_id, REJECTIONS).await?;
    let rejected_phrases = rejection_phrases(&rejection_reasons);
    Ok(Research { top_posts_ranked_by: ranked_by, top_posts, key_phrases, hashtags, rejection_reasons, rejected_phrases })
}
