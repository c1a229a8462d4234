//! Version history: every edit keeps a snapshot; two versions can be compared and an old one
//! restored (which is itself a new version, so nothing is ever lost).

use serde_json::Value;
use similar::{ChangeTag, TextDiff};
use zenalto_domain::{Permission, PostId, Timestamp};
use zenalto_store::repo::{posts, versions};

use super::{PostView, posts::PostInput};
use crate::{Access, RequestMeta, Result, ServiceError, Services};

#[derive(Clone, Debug)]
pub struct Version {
    pub version: i64,
    pub snapshot: PostInput,
    pub author_id: Option<String>,
    pub created_at: Timestamp,
}

/// One changed field between two versions. Text fields carry a line diff.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<DiffLine>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct DiffLine {
    /// "+", "-" or " ".
    pub op: &'static str,
    pub text: String,
}

impl Services {
    pub async fn list_versions(&self, access: &Access, post: PostId) -> Result<Vec<Version>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        posts::get(&mut conn, access.workspace_id, post).await?.ok_or(ServiceError::NotFound)?;
        versions::list(&mut conn, access.workspace_id, post).await?.into_iter().map(version).collect()
    }

    pub async fn get_version(&self, access: &Access, post: PostId, number: i64) -> Result<Version> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        posts::get(&mut conn, access.workspace_id, post).await?.ok_or(ServiceError::NotFound)?;
        versions::get(&mut conn, access.workspace_id, post, number).await?.ok_or(ServiceError::NotFound).and_then(version)
    }

    /// What changed from version `from` to version `to`, field by field.
    pub async fn diff_versions(&self, access: &Access, post: PostId, from: i64, to: i64) -> Result<Vec<FieldChange>> {
        let before = serde_json::to_value(self.get_version(access, post, from).await?.snapshot).map_err(ServiceError::internal)?;
        let after = serde_json::to_value(self.get_version(access, post, to).await?.snapshot).map_err(ServiceError::internal)?;
        let mut changes = Vec::new();
        diff_values("", &before, &after, &mut changes);
        Ok(changes)
    }

    /// Makes an old version current again, as a new version.
    pub async fn restore_version(&self, access: &Access, post: PostId, number: i64, meta: &RequestMeta) -> Result<PostView> {
        let old = self.get_version(access, post, number).await?;
        self.update_post(access, post, old.snapshot, meta).await
    }
}

fn version(row: versions::VersionRow) -> Result<Version> {
    Ok(Version {
        version: row.version,
        snapshot: serde_json::from_str(&row.snapshot).map_err(ServiceError::internal)?,
        author_id: row.author_id,
        created_at: row.created_at,
    })
}

/// Walks two JSON trees; objects are compared key by key, anything else as a whole.
fn diff_values(path: &str, before: &Value, after: &Value, out: &mut Vec<FieldChange>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let field = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                diff_values(&field, a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null), out);
            }
        }
        _ if before == after => {}
        _ => {
            let lines = match (before.as_str(), after.as_str()) {
                (Some(a), Some(b)) => TextDiff::from_lines(a, b)
                    .iter_all_changes()
                    .map(|c| DiffLine {
                        op: match c.tag() {
                            ChangeTag::Delete => "-",
                            ChangeTag::Insert => "+",
                            ChangeTag::Equal => " ",
                        },
                        text: c.value().trim_end_matches('\n').to_owned(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            out.push(FieldChange { field: path.to_owned(), before: before.clone(), after: after.clone(), lines });
        }
    }
}
