//! Bind placeholders for statements with many values (a batch statement binds up to ~1 300).
//!
//! Placeholders are written in the order their values are bound: `$1, $2, …` on PostgreSQL and
//! anonymous `?` on SQLite. To SQLite, `$1` is a parameter *name*: it keeps a statement's names in
//! a list that it walks to find one, and sqlx asks for the name of every parameter it binds, so a
//! statement with n named parameters costs n² string comparisons. With the batch statements that
//! was a quarter of a SQLite worker's time (perf on `zenalto bench queue`). Anonymous parameters
//! have no name to look up. The price is that a value used twice is bound twice.

use sqlx::AnyConnection;

use crate::Backend;

pub(crate) struct Binds {
    backend: Backend,
    written: usize,
}

impl Binds {
    pub(crate) fn for_connection(conn: &AnyConnection) -> Self {
        Self { backend: Backend::of(conn), written: 0 }
    }

    /// The next placeholder.
    pub(crate) fn next(&mut self) -> String {
        self.written += 1;
        match self.backend {
            Backend::Postgres => format!("${}", self.written),
            Backend::Sqlite => "?".to_owned(),
        }
    }

    /// The next `n` placeholders, comma-separated.
    pub(crate) fn list(&mut self, n: usize) -> String {
        (0..n).map(|_| self.next()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_numbers_placeholders_in_order_and_sqlite_leaves_them_anonymous() {
        let mut pg = Binds { backend: Backend::Postgres, written: 0 };
        assert_eq!((pg.next(), pg.list(3), pg.next()), ("$1".to_owned(), "$2, $3, $4".to_owned(), "$5".to_owned()));
        let mut lite = Binds { backend: Backend::Sqlite, written: 0 };
        assert_eq!((lite.next(), lite.list(2)), ("?".to_owned(), "?, ?".to_owned()));
    }
}
