//! `POST /api/v1/workspaces/{workspaceId}/posts/bulk`: one action on up to 500 posts, each item
//! answered on its own with the error it would have got as a single request.

use axum::{Json, extract::State};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_services::publishing::bulk::{BulkAction, BulkUpdate};

use super::posts::ScheduleBody;
use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope, ItemError},
    extract::{ApiJson, Meta, WorkspaceAccess},
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(bulk_posts))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionName {
    Schedule,
    Reschedule,
    Unschedule,
    Delete,
    Update,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkRequest {
    pub action: ActionName,
    /// 1–500 distinct post ids.
    pub post_ids: Vec<String>,
    /// For schedule and reschedule: the body of `POST …/posts/{postId}/schedule`.
    pub schedule: Option<ScheduleBody>,
    /// For update.
    pub update: Option<UpdateBody>,
}

/// Fields set on every post; a field left out is kept, `null` clears campaign or notes.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub campaign: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`, by `default`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Serialize, ToSchema)]
pub struct BulkResponse {
    /// One per id, in the order given.
    pub results: Vec<BulkItem>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub post_id: String,
    pub ok: bool,
    /// The error as the single-post request would have answered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

impl BulkRequest {
    fn into_action(self) -> Result<(BulkAction, Vec<String>), ApiError> {
        let wants_schedule = matches!(self.action, ActionName::Schedule | ActionName::Reschedule);
        if self.schedule.is_some() != wants_schedule {
            let message = if wants_schedule { "is required for schedule and reschedule" } else { "is only for schedule and reschedule" };
            return Err(ApiError::validation("schedule", message));
        }
        if self.update.is_some() != matches!(self.action, ActionName::Update) {
            let message = if self.update.is_some() { "is only for update" } else { "is required for update" };
            return Err(ApiError::validation("update", message));
        }
        let action = match (self.action, self.schedule, self.update) {
            (ActionName::Schedule, Some(s), _) => BulkAction::Schedule(s.into_request()?),
            (ActionName::Reschedule, Some(s), _) => BulkAction::Reschedule(s.into_request()?),
            (ActionName::Unschedule, ..) => BulkAction::Unschedule,
            (ActionName::Delete, ..) => BulkAction::Delete,
            (ActionName::Update, _, Some(u)) => BulkAction::Update(BulkUpdate { campaign: u.campaign, tags: u.tags, notes: u.notes }),
            // Ruled out by the checks above.
            _ => return Err(ApiError::validation("action", "needs its schedule or update body")),
        };
        Ok((action, self.post_ids))
    }
}

/// Schedule, reschedule, unschedule, delete or update (campaign, tags, notes) many posts. Each
/// item runs as its single-post request would — same permissions, validation and audit — and
/// fails alone; a caller without the action's permission is refused as a whole (403).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/posts/bulk", tag = "publishing", security(("bearer" = [])),
    params(("workspaceId" = String, Path)), request_body = BulkRequest,
    responses((status = 200, body = BulkResponse), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
async fn bulk_posts(State(state): State<AppState>, Meta(meta): Meta, ws: WorkspaceAccess, ApiJson(body): ApiJson<BulkRequest>) -> ApiResult<Json<BulkResponse>> {
    let (action, ids) = body.into_action()?;
    let outcomes = state.services.bulk_posts(&ws.access, &action, &ids, &meta).await?;
    let results = ids
        .into_iter()
        .zip(outcomes)
        .map(|(post_id, outcome)| match outcome {
            Ok(()) => BulkItem { post_id, ok: true, error: None },
            Err(e) => BulkItem { post_id, ok: false, error: Some(e.into()) },
        })
        .collect();
    Ok(Json(BulkResponse { results }))
}
