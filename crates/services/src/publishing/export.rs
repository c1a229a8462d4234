//! Posts as a CSV file, in the columns the import reads back (plus read-only facts: id, status,
//! scheduled_at), so an exported file can be edited in a spreadsheet and imported again.

use zenalto_store::repo::posts::PostFilter;

use super::PostView;
use crate::{Access, Result, ServiceError, Services};

pub const EXPORT_COLUMNS: [&str; 12] =
    ["id", "status", "text", "scheduled_at", "time_zone", "local_time", "accounts", "campaign", "tags", "notes", "link", "first_comment"];

/// Joins list cells (accounts, tags) the way the import splits them.
pub const LIST_SEPARATOR: char = ';';

impl Services {
    /// The filtered posts, by scheduled time, as CSV (post:read).
    /// The CSV, and whether more posts matched than `limit` let in.
    pub async fn posts_csv(&self, access: &Access, filter: &PostFilter, limit: i64) -> Result<(String, bool)> {
        let page = self.list_posts_page(access, filter, limit).await?;
        let posts = page.posts;
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(EXPORT_COLUMNS).map_err(ServiceError::internal)?;
        for post in &posts {
            // Every cell: a tag, a campaign or a link is as attacker-chosen as the text.
            writer.write_record(record(post).iter().map(|cell| csv_safe(cell))).map_err(ServiceError::internal)?;
        }
        let csv = String::from_utf8(writer.into_inner().map_err(ServiceError::internal)?).map_err(ServiceError::internal)?;
        Ok((csv, page.more))
    }
}

fn record(post: &PostView) -> [String; 12] {
    let separator = LIST_SEPARATOR.to_string();
    [
        post.id.to_string(),
        post.status.to_string(),
        post.content.text.clone(),
        post.scheduled_at.map(|t| t.to_string()).unwrap_or_default(),
        post.time_zone.clone().unwrap_or_default(),
        post.local_time.clone().unwrap_or_default(),
        post.targets.iter().map(|t| t.account_id.to_string()).collect::<Vec<_>>().join(&separator),
        post.campaign.clone().unwrap_or_default(),
        post.tags.join(&separator),
        post.notes.clone().unwrap_or_default(),
        post.content.link.clone().unwrap_or_default(),
        post.content.first_comment.clone().unwrap_or_default(),
    ]
}

/// Spreadsheet apps execute cells starting with = + - @; prefix them so an attacker-chosen
/// value cannot become a formula in an exported file (posts and the audit log alike);
/// [`csv_unsafe`] undoes it on import.
pub(crate) fn csv_safe(value: &str) -> String {
    if value.starts_with(FORMULA_STARTS) { format!("'{value}") } else { value.to_owned() }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Removes the quote [`csv_safe`] added, so "@alice, look" survives a round trip. (A cell that
/// really began with a quote before a formula character loses that quote: the price of a
/// lossless round trip for the far commoner mention or dash.)
pub(crate) fn csv_unsafe(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => value,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored() {
        for (raw, safe) in [
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-1-1", "'-1-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("plain", "plain"),
            ("a=b", "a=b"),
            ("'quoted", "'quoted"),
            ("", ""),
        ] {
            assert_eq!(csv_safe(raw), safe, "{raw:?}");
            assert_eq!(csv_unsafe(&csv_safe(raw)), raw, "{raw:?}");
        }
    }
}
