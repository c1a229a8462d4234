//! Finding posts by the words in their text, for "the post about the webinar".

use zenalto_domain::{Permission, PostId};
use zenalto_store::repo::posts;

use crate::publishing::PostView;
use crate::{Access, Result, ServiceError, Services};

impl Services {
    /// Posts of the caller's workspace whose text holds every word (any case), in `statuses`
    /// (all when empty), most recently changed first (post:read).
    pub async fn find_posts(&self, access: &Access, words: &[String], statuses: &[String], limit: i64) -> Result<Vec<PostView>> {
        access.require(Permission::PostRead)?;
        let words: Vec<String> = words.iter().map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Err(ServiceError::field("words", "name at least one word the post contains"));
        }
        let mut conn = self.db.read().await?;
        let rows = posts::search_words(&mut conn, access.workspace_id, &words, statuses, limit.clamp(1, 100)).await?;
        drop(conn);
        let ids: Vec<PostId> = rows.into_iter().map(|r| r.id).collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.get_post(access, id).await?);
        }
        Ok(out)
    }
}
