//! Queries whose WHERE clause depends on which filters are set: the text grows with `$n`
//! placeholders in step with the values bound to them, so the two can't drift apart.

use sqlx::{AnyConnection, any::AnyRow};

use crate::Result;

/// A value for one placeholder.
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

/// A query under construction: its text and the values of its placeholders, in order.
pub(crate) struct Dynamic {
    sql: String,
    binds: Vec<Bind>,
}

impl Dynamic {
    /// Starts from `sql`, whose own placeholders `$1…$n` take `binds`.
    pub(crate) fn new(sql: &str, binds: Vec<Bind>) -> Self {
        Self { sql: sql.to_owned(), binds }
    }

    /// Binds a value; returns its placeholder (`$3`) for the text.
    pub(crate) fn param(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// Appends to the text.
    pub(crate) fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    pub(crate) async fn fetch_all<O>(self, conn: &mut AnyConnection) -> Result<Vec<O>>
    where
        O: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        let mut query = sqlx::query_as::<_, O>(sqlx::AssertSqlSafe(self.sql));
        for value in self.binds {
            query = match value {
                Bind::Text(t) => query.bind(t),
                Bind::Int(i) => query.bind(i),
            };
        }
        Ok(query.fetch_all(conn).await?)
    }
}

/// `text` for a LIKE pattern with `ESCAPE '\'`: its own `%`, `_` and `\` match literally.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A LIKE pattern finding `tag` in a stored JSON array of strings (quotes included, so `spring`
/// does not match `springtime`).
pub(crate) fn json_array_member(tag: &str) -> String {
    format!("%{}%", like_escape(&serde_json::to_string(tag).unwrap_or_default()))
}
