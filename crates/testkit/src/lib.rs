//! Test support: `spawn_app(backend)` starts the real server (same `prepare` + `run` path as the
//! binary) on a random port with a fresh database — a temporary SQLite file, or a new database
//! on the test PostgreSQL server — and offers typed helpers for the common flows.
//!
//! PostgreSQL is not optional: when it cannot be reached the test fails with instructions, it is
//! never skipped. `scripts/test` starts it and exports `ZENALTO_TEST_POSTGRES_URL`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod assert;
mod both;
pub mod ai;
pub mod calendar;
pub mod media;
pub mod oauth;
pub mod publishing;
pub mod smtp;

pub use assert::{expect_error, items};
pub use app::{Account, Sent, TestApp, read, spawn_app, spawn_app_with, spawn_app_with_connectors, totp_code};
pub use reqwest::StatusCode;
pub use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const DEFAULT_POSTGRES_URL: &str = "postgres://zenalto:zenalto@127.0.0.1:5432/postgres";

/// Creates an empty database on the test PostgreSQL server and returns its URL.
pub async fn fresh_postgres_database() -> String {
    fresh_postgres_database_with("").await
}

/// Like `fresh_postgres_database`, with `CREATE DATABASE` options appended (e.g. another collation).
pub async fn fresh_postgres_database_with(options: &str) -> String {
    use sqlx::Connection;
    let admin_url = std::env::var("ZENALTO_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into());
    let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required by the test suite and is not reachable at {admin_url}: {e}\nRun ./scripts/test (it installs and starts PostgreSQL), or set ZENALTO_TEST_POSTGRES_URL.")
    });
    let name = format!("zenalto_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name} {options}"))).execute(&mut conn).await.expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}
