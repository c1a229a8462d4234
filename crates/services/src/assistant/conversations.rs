//! Conversations: one person's chats in one workspace, with the time zone their dates are read
//! in and what "it" refers to. Only the owner sees a conversation.

use serde::{Deserialize, Serialize};
use zenalto_domain::{Permission, Timestamp, schedule::TimeZoneName};
use zenalto_store::{
    StoreError,
    repo::assistant::{self as repo, ConversationRow},
};

use super::history::MessageView;
use crate::{Access, Result, ServiceError, Services};

/// The most messages a conversation answer carries (the latest).
const MAX_MESSAGES: i64 = 500;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    pub id: String,
    pub title: String,
    pub time_zone: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDetail {
    #[serde(flatten)]
    pub conversation: ConversationView,
    pub messages: Vec<MessageView>,
}

/// What "it" and "the second one" point at: the posts last drafted, listed or acted on.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Refs {
    #[serde(default)]
    pub posts: Vec<String>,
}

impl From<&ConversationRow> for ConversationView {
    fn from(row: &ConversationRow) -> Self {
        ConversationView {
            id: row.id.clone(),
            title: row.title.clone(),
            time_zone: row.time_zone.clone(),
            created_at: Timestamp::from_millis(row.created_at),
            updated_at: Timestamp::from_millis(row.updated_at),
        }
    }
}

/// The owner key of a caller: "user:<id>" or "api_key:<id>".
pub fn owner_of(access: &Access) -> String {
    format!("{}:{}", access.actor.kind, access.actor.id)
}

impl Services {
    /// Starts a conversation whose dates are read in `time_zone` (an IANA name).
    pub async fn assistant_create_conversation(&self, access: &Access, time_zone: &str) -> Result<ConversationView> {
        access.require(Permission::PostRead)?;
        let zone = TimeZoneName::parse(time_zone).map_err(|e| ServiceError::field("timeZone", e.to_string()))?;
        let now = self.now().as_millis();
        let row = ConversationRow {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: access.workspace_id.to_string(),
            owner: owner_of(access),
            title: String::new(),
            time_zone: zone.as_str().to_owned(),
            refs: "{}".into(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db.begin().await?;
        repo::insert_conversation(&mut tx, &row).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(ConversationView::from(&row))
    }

    pub async fn assistant_conversations(&self, access: &Access, limit: i64) -> Result<Vec<ConversationView>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let rows = repo::list_conversations(&mut conn, access.workspace_id, &owner_of(access), limit.clamp(1, 200)).await?;
        Ok(rows.iter().map(ConversationView::from).collect())
    }

    pub(crate) async fn own_conversation(&self, access: &Access, id: &str) -> Result<ConversationRow> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        repo::get_conversation(&mut conn, access.workspace_id, &owner_of(access), id).await?.ok_or(ServiceError::NotFound)
    }

    pub async fn assistant_conversation(&self, access: &Access, id: &str) -> Result<ConversationDetail> {
        let row = self.own_conversation(access, id).await?;
        let mut conn = self.db.read().await?;
        let messages = repo::messages(&mut conn, access.workspace_id, id, MAX_MESSAGES).await?;
        Ok(ConversationDetail { conversation: ConversationView::from(&row), messages: messages.into_iter().map(MessageView::from).collect() })
    }

    pub async fn assistant_delete_conversation(&self, access: &Access, id: &str) -> Result<()> {
        access.require(Permission::PostRead)?;
        let mut tx = self.db.begin().await?;
        let deleted = repo::delete_conversation(&mut tx, access.workspace_id, &owner_of(access), id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        if deleted { Ok(()) } else { Err(ServiceError::NotFound) }
    }

    pub(crate) async fn conversation_zone(&self, access: &Access, id: &str) -> Result<TimeZoneName> {
        let row = self.own_conversation(access, id).await?;
        TimeZoneName::parse(&row.time_zone).map_err(ServiceError::internal)
    }
}
