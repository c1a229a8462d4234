//! Persistence: the one set of migrations and the repositories. Every query is written once and
//! runs on SQLite and PostgreSQL through sqlx's `Any` driver; nothing outside this crate writes SQL.
//! Repository functions take a `&mut AnyConnection` so callers compose them inside one
//! transaction; every function touching tenant data takes the `WorkspaceId` it is scoped to.

mod db;
mod error;
pub mod fanout;
pub mod page;
pub mod queue;
pub mod repo;

pub use db::{Backend, Db};
pub use error::StoreError;
pub use page::{Cursor, Page};
pub use sqlx::AnyConnection as Conn;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
