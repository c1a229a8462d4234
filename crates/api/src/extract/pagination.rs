//! `?cursor=&limit=` on list endpoints, and the list response shape.

use axum::{
    extract::{FromRequestParts, Query},
    http::request::Parts,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zenalto_store::{Cursor, Page};

use crate::error::{ApiError, ErrorCode};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Opaque cursor from the previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
}

pub struct PageQuery(pub Cursor);

impl<S: Send + Sync> FromRequestParts<S> for PageQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(params) = Query::<PageParams>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::new(ErrorCode::ValidationError, e.body_text()))?;
        if params.limit.is_some_and(|l| !(1..=200).contains(&l)) {
            return Err(ApiError::validation("limit", "must be between 1 and 200"));
        }
        let cursor = Cursor::new(params.cursor.as_deref(), params.limit).map_err(|_| ApiError::validation("cursor", "is not a cursor this API issued"))?;
        Ok(PageQuery(cursor))
    }
}

/// A page of results, newest first.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    pub fn from_page<R>(page: Page<R>, f: impl FnMut(R) -> T) -> Self {
        let page = page.map(f);
        Self { items: page.items, next_cursor: page.next_cursor }
    }
}
