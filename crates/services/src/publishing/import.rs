//! Importing posts from CSV: every row becomes a draft through `create_post` and, when it names a
//! wall-clock time and zone, is scheduled through `schedule_post` — the same permission checks,
//! validation and audit rows as one post at a time. Each row stands alone: a bad row is reported
//! and the others still land. Only a file that cannot be read as CSV, or lacks a `text` column,
//! is refused as a whole.

use zenalto_domain::{
    AccountId, Permission, PostId,
    posts::PostContent,
    schedule::{LocalDateTime, TimeZoneName, resolve},
};

use super::{
    accounts::Account,
    export::{LIST_SEPARATOR, csv_unsafe},
    posts::{PostInput, TargetInput},
    schedule::ScheduleRequest,
};
use crate::{Access, FieldErrors, RequestMeta, Result, ServiceError, Services};

/// The columns an import reads; only `text` is required.
pub const IMPORT_COLUMNS: [&str; 9] = ["text", "accounts", "local_time", "time_zone", "campaign", "tags", "link", "first_comment", "notes"];
/// Columns of the export that an import reads past, so an exported file imports as it is.
const READ_ONLY_COLUMNS: [&str; 3] = ["id", "status", "scheduled_at"];
/// Rows per file: each is one or two transactions, and the request must finish within the
/// server's timeout.
pub const MAX_ROWS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStatus {
    Created,
    Scheduled,
    Error,
}

impl RowStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Scheduled => "scheduled",
            Self::Error => "error",
        }
    }
}

/// What became of one row. A row that failed to schedule keeps its draft (`post_id`), so it can
/// be fixed in the editor rather than imported again.
#[derive(Clone, Debug)]
pub struct RowResult {
    /// The spreadsheet row: the header is row 1.
    pub row: usize,
    pub status: RowStatus,
    pub post_id: Option<PostId>,
    /// CSV column (or `row`) → message.
    pub errors: Option<FieldErrors>,
}

/// A row read and checked, ready for the use cases.
struct RowInput {
    input: PostInput,
    schedule: Option<ScheduleRequest>,
}

impl Services {
    /// Imports the rows of a CSV file (post:create; post:publish for rows with a time).
    pub async fn import_posts_csv(&self, access: &Access, body: &[u8], meta: &RequestMeta) -> Result<Vec<RowResult>> {
        access.require(Permission::PostCreate)?;
        let (columns, records) = read_file(body)?;
        let accounts = self.list_accounts(access).await?;
        let mut results = Vec::with_capacity(records.len());
        for (i, record) in records.into_iter().enumerate() {
            let row = i + 2;
            let read = record.map_err(|e| FieldErrors::from([("row".to_owned(), e.to_string())])).and_then(|r| self.read_row(access, &columns, &accounts, &r));
            results.push(match read {
                Err(errors) => RowResult { row, status: RowStatus::Error, post_id: None, errors: Some(errors) },
                Ok(input) => self.import_row(access, input, meta, row).await,
            });
        }
        Ok(results)
    }

    async fn import_row(&self, access: &Access, row: RowInput, meta: &RequestMeta, number: usize) -> RowResult {
        let failed = |post_id, e| RowResult { row: number, status: RowStatus::Error, post_id, errors: Some(row_errors(e)) };
        let post = match self.create_post(access, row.input, meta).await {
            Ok(post) => post,
            Err(e) => return failed(None, e),
        };
        let Some(request) = row.schedule else {
            return RowResult { row: number, status: RowStatus::Created, post_id: Some(post.id), errors: None };
        };
        match self.schedule_post(access, post.id, request, meta).await {
            Ok(_) => RowResult { row: number, status: RowStatus::Scheduled, post_id: Some(post.id), errors: None },
            Err(e) => failed(Some(post.id), e),
        }
    }

    /// Reads one row into a post, checking up front what would otherwise leave a half-imported
    /// row behind (a draft that then cannot be scheduled).
    fn read_row(&self, access: &Access, columns: &[Option<&'static str>], accounts: &[Account], record: &csv::ByteRecord) -> std::result::Result<RowInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        if record.len() != columns.len() {
            errors.insert("row".into(), format!("has {} cells; the header has {}", record.len(), columns.len()));
            return Err(errors);
        }
        let mut cell = std::collections::HashMap::new();
        for (name, raw) in columns.iter().zip(record.iter()) {
            let Some(name) = name else { continue };
            match std::str::from_utf8(raw) {
                Ok(text) => {
                    cell.insert(*name, csv_unsafe(text).to_owned());
                }
                Err(_) => {
                    errors.insert((*name).into(), "is not UTF-8 text".into());
                }
            }
        }
        let get = |name: &str| cell.get(name).map(String::as_str).unwrap_or_default();
        let optional = |name: &str| Some(get(name).trim()).filter(|v| !v.is_empty()).map(str::to_owned);
        let targets = match resolve_accounts(get("accounts"), accounts) {
            Ok(ids) => ids.into_iter().map(|account_id| TargetInput { account_id, overrides: None }).collect(),
            Err(message) => {
                errors.insert("accounts".into(), message);
                Vec::new()
            }
        };
        let schedule = match (optional("local_time"), optional("time_zone")) {
            (None, None) => None,
            (Some(_), None) => {
                errors.insert("time_zone".into(), "a local_time needs its IANA time zone, e.g. Europe/Berlin".into());
                None
            }
            (None, Some(_)) => {
                errors.insert("local_time".into(), "a time_zone needs a local_time such as 2027-03-29T09:00".into());
                None
            }
            (Some(local), Some(zone)) => match self.check_when(access, &local, &zone, targets.is_empty()) {
                Ok(()) => Some(ScheduleRequest { local_time: Some(local), time_zone: Some(zone), ..ScheduleRequest::default() }),
                Err((field, message)) => {
                    errors.insert(field.into(), message);
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let content = PostContent { text: get("text").to_owned(), link: optional("link"), first_comment: optional("first_comment"), ..PostContent::default() };
        let tags = get("tags").split(LIST_SEPARATOR).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        let input = PostInput { content, targets, campaign: optional("campaign"), tags, notes: optional("notes") };
        Ok(RowInput { input, schedule })
    }

    /// The checks `schedule_post` would fail that need no post yet: the right to publish, a
    /// parseable time and zone, a time not in the past, and somewhere to publish to.
    fn check_when(&self, access: &Access, local: &str, zone: &str, no_targets: bool) -> std::result::Result<(), (&'static str, String)> {
        access.require(Permission::PostPublish).map_err(|e| ("local_time", e.to_string()))?;
        let zone = TimeZoneName::parse(zone).map_err(|e| ("time_zone", e.to_string()))?;
        let local = LocalDateTime::parse(local).map_err(|e| ("local_time", e.to_string()))?;
        // The same minute of grace `schedule_post` gives.
        if resolve(local, &zone).at < self.now().plus_seconds(-60) {
            return Err(("local_time", format!("{local} in {zone} is in the past")));
        }
        if no_targets {
            return Err(("accounts", "a scheduled post needs at least one connected account".into()));
        }
        Ok(())
    }
}

type Records = Vec<std::result::Result<csv::ByteRecord, csv::Error>>;

/// The header (each column's name, `None` for a read-only export column) and up to
/// [`MAX_ROWS`] records. A header that is not UTF-8 CSV with a `text` column refuses the file.
fn read_file(body: &[u8]) -> Result<(Vec<Option<&'static str>>, Records)> {
    let not_csv = |message: String| ServiceError::field("body", message);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let header = reader.byte_headers().map_err(|e| not_csv(format!("is not a CSV file: {e}")))?.clone();
    let mut columns = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| not_csv("is not a CSV file: the header is not UTF-8 text".into()))?;
        // Spreadsheet apps often start a UTF-8 file with a byte-order mark.
        let name = if i == 0 { name.trim_start_matches('\u{feff}') } else { name }.trim().to_ascii_lowercase();
        let known = IMPORT_COLUMNS.iter().chain(READ_ONLY_COLUMNS.iter()).find(|c| **c == name);
        let Some(known) = known else {
            return Err(not_csv(format!("unknown column {name:?}; the columns are {}", IMPORT_COLUMNS.join(","))));
        };
        if columns.contains(&Some(*known)) {
            return Err(not_csv(format!("column {name} appears twice")));
        }
        columns.push(Some(*known));
    }
    if !columns.contains(&Some("text")) {
        return Err(not_csv("needs a header row with a text column".into()));
    }
    let records: Records = reader.byte_records().take(MAX_ROWS + 1).collect();
    if records.len() > MAX_ROWS {
        return Err(not_csv(format!("has more than {MAX_ROWS} rows; split it")));
    }
    let columns = columns.into_iter().map(|c| c.filter(|c| !READ_ONLY_COLUMNS.contains(c))).collect();
    Ok((columns, records))
}

/// `;`-separated account ids or handles (an `@` is optional) of connected accounts.
fn resolve_accounts(cell: &str, accounts: &[Account]) -> std::result::Result<Vec<AccountId>, String> {
    let mut ids = Vec::new();
    for raw in cell.split(LIST_SEPARATOR).map(str::trim).filter(|s| !s.is_empty()) {
        let handle = raw.trim_start_matches('@');
        let found: Vec<&Account> = accounts.iter().filter(|a| a.id.to_string() == raw || a.handle.eq_ignore_ascii_case(handle)).collect();
        match found.as_slice() {
            [one] if !ids.contains(&one.id) => ids.push(one.id),
            [_] => {}
            [] => return Err(format!("{raw} is not a connected account of this workspace")),
            _ => return Err(format!("{raw} matches several connected accounts; use the account id")),
        }
    }
    Ok(ids)
}

/// A use case's refusal as errors per CSV column. A failure on our side is logged and reported
/// without detail, like the API's 500s.
fn row_errors(e: ServiceError) -> FieldErrors {
    match e {
        ServiceError::Validation(fields) => {
            let mut errors = FieldErrors::new();
            for (field, message) in fields {
                errors.entry(column_for(&field)).and_modify(|m| *m = format!("{m}; {message}")).or_insert(message);
            }
            errors
        }
        ServiceError::Store(_) | ServiceError::Internal(_) => {
            tracing::error!(cause = %e, "importing a CSV row failed");
            FieldErrors::from([("row".to_owned(), "something went wrong on our side; import this row again".to_owned())])
        }
        other => FieldErrors::from([("row".to_owned(), other.to_string())]),
    }
}

/// The CSV column a use case's field name stands for (a per-network finding such as
/// `targets[0].text` is kept as it is: it names the account at fault).
fn column_for(field: &str) -> String {
    match field {
        "content.text" => "text",
        "content.link" => "link",
        "content.firstComment" => "first_comment",
        "localTime" | "at" => "local_time",
        "timeZone" => "time_zone",
        "targets" => "accounts",
        f if f.starts_with("targets[") && f.ends_with(".accountId") => "accounts",
        f => f,
    }
    .to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn error_of(body: &str) -> String {
        match read_file(body.as_bytes()) {
            Err(ServiceError::Validation(errors)) => errors["body"].clone(),
            other => panic!("{body:?} was accepted: {:?}", other.map(|(c, r)| (c, r.len()))),
        }
    }

    #[test]
    fn a_file_without_a_usable_header_is_refused() {
        assert!(error_of("").contains("text column"));
        assert!(error_of("{\"text\": \"hello\"}\n").contains("unknown column"));
        assert!(error_of("accounts,local_time\na,b\n").contains("text column"));
        assert!(error_of("text,text\na,b\n").contains("twice"));
        assert!(error_of("text,colour\na,b\n").contains("unknown column \"colour\""));
        match read_file(b"\xff\xfe\x00t\x00e\x00x\x00t") {
            Err(ServiceError::Validation(errors)) => assert!(errors["body"].contains("UTF-8"), "{errors:?}"),
            _ => panic!("UTF-16 accepted"),
        }
    }

    #[test]
    fn export_columns_are_read_past_and_a_bom_is_ignored() {
        let (columns, records) = read_file("\u{feff}ID,Status,TEXT,scheduled_at\n1,draft,hello,\n".as_bytes()).unwrap();
        assert_eq!(columns, vec![None, None, Some("text"), None]);
        assert_eq!(records.len(), 1);
    }

    #[test]
    fn field_names_become_columns() {
        for (field, column) in [("content.text", "text"), ("targets[2].accountId", "accounts"), ("timeZone", "time_zone"), ("targets[0].text", "targets[0].text"), ("tags", "tags")] {
            assert_eq!(column_for(field), column);
        }
    }
}
