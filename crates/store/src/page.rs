//! Cursor pagination. Ids are UUIDv7, so their text form sorts by creation time; a cursor is the
//! last id of the previous page, and pages are "newest first".

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Clone, Debug, Default)]
pub struct Cursor {
    /// Return rows strictly older than this id.
    pub before: Option<String>,
    pub limit: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid cursor")]
pub struct InvalidCursor;

impl Cursor {
    pub fn new(raw_cursor: Option<&str>, limit: Option<i64>) -> Result<Self, InvalidCursor> {
        let before = match raw_cursor.filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => {
                let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| InvalidCursor)?;
                let id = String::from_utf8(bytes).map_err(|_| InvalidCursor)?;
                uuid::Uuid::parse_str(&id).map_err(|_| InvalidCursor)?;
                Some(id)
            }
        };
        let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        Ok(Self { before, limit })
    }

    /// The `id < $before` bound; with no cursor the largest UUID, so "from the newest". (Not a
    /// symbol such as "~": language collations such as en-US sort symbols before digits, and
    /// every list came back empty on such PostgreSQL databases.)
    pub fn bound(&self) -> String {
        self.before.clone().unwrap_or_else(|| "ffffffff-ffff-ffff-ffff-ffffffffffff".into())
    }

    /// Rows to fetch: one more than the page, to learn whether another page exists.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }
}

#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `fetch_limit()` rows, `id_of` giving each row's id.
    pub fn from_rows(mut rows: Vec<T>, cursor: &Cursor, id_of: impl Fn(&T) -> String) -> Self {
        let more = rows.len() as i64 > cursor.limit;
        rows.truncate(cursor.limit as usize);
        let next_cursor = if more { rows.last().map(|r| URL_SAFE_NO_PAD.encode(id_of(r))) } else { None };
        Self { items: rows, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}
