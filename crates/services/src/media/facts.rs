//! What the publishing validator needs to know about attachments (`MediaFacts`), read from the
//! library's stored measurements.

use std::collections::HashMap;

use zenalto_domain::{WorkspaceId, publishing::MediaFacts};
use zenalto_store::{Conn, repo::media};

use super::{AssetView, parse_kind};
use crate::Result;

impl From<&AssetView> for MediaFacts {
    fn from(a: &AssetView) -> Self {
        MediaFacts { kind: a.kind, bytes: a.bytes, width: a.width, height: a.height, duration_ms: a.duration_ms, mime: a.mime.clone(), alt_text: a.alt_text.clone() }
    }
}

/// Facts for the ids that name assets of the workspace; other ids are simply absent.
pub async fn media_facts(conn: &mut Conn, workspace: WorkspaceId, ids: &[String]) -> Result<HashMap<String, MediaFacts>> {
    let mut unique: Vec<String> = ids.to_vec();
    unique.sort();
    unique.dedup();
    let rows = media::get_many(conn, workspace, &unique).await?;
    let mut facts = HashMap::with_capacity(rows.len());
    for row in rows {
        if parse_kind(&row.kind).is_none() {
            continue;
        }
        let view = AssetView::try_from(row)?;
        facts.insert(view.id.to_string(), MediaFacts::from(&view));
    }
    Ok(facts)
}
