//! Connection handling. The backend is chosen at runtime from the URL. On SQLite there is a pool
//! of readers and exactly one writer connection: SQLite allows one writer at a time anyway, and
//! funnelling writes through one connection (WAL, busy_timeout) means "database is locked" can
//! never reach a user. On PostgreSQL both handles share one pool.

use std::{str::FromStr, time::Duration};

use sqlx::{
    AnyConnection, AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    pool::PoolConnection,
};

use crate::{Result, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a connection talks to.
    pub fn of(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME { Self::Postgres } else { Self::Sqlite }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

impl Db {
    /// Connects without migrating. `max_connections` sizes the reader pool (PostgreSQL: the pool).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url)?;
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "database.url must start with postgres:// (or be empty for the embedded SQLite file)".into(),
            )));
        };
        match backend {
            Backend::Sqlite => {
                let writer = sqlite_pool(1).connect_with(options.clone()).await?;
                let reader = sqlite_pool(max_connections.max(1)).connect_with(options).await?;
                Ok(Self { reader, writer, backend })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(max_connections.max(2))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Ok(Self { reader: pool.clone(), writer: pool, backend })
            }
        }
    }

    /// Applies pending migrations. On PostgreSQL sqlx holds an advisory lock while migrating, so
    /// several processes starting at once apply each migration exactly once.
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.writer).await?;
        if self.backend == Backend::Postgres {
            let mut conn = self.writer.acquire().await?;
            set_storage_parameters(&mut conn).await?;
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<PoolConnection<sqlx::Any>> {
        Ok(self.reader.acquire().await?)
    }

    /// Begins a write transaction. On SQLite this waits for the single writer connection, so a
    /// caller must never begin a second write while holding one. It begins IMMEDIATE: the write
    /// lock is taken up front, so when another *process* (a `zenalto worker` beside
    /// `serve --no-workers`) holds it, `busy_timeout` waits; a deferred transaction that reads
    /// first would instead fail at once with "database is locked" when it later tries to write.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => Ok(self.writer.begin().await?),
        }
    }

    /// Cheap liveness query for `/ready`.
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.read().await?;
        sqlx::query("SELECT 1").execute(&mut *conn).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// PostgreSQL storage parameters, which SQLite has no counterpart for (so they cannot live in
/// the shared migrations). A post and its targets are written once and then updated two or three
/// times as they publish (`publishing`, then `published`, plus any edits). With pages filled to
/// the brim, every such update moves the row to another page and adds an entry to each of the
/// table's indexes; with room left on the page it is a HOT update, which touches no index.
/// Measured on updates shaped like the worker's: 3 % HOT at the default fill factor of 100,
/// 35 % at 80, 64 % at 70 (docs/benchmarks.md). The room applies to pages written from now on.
const STORAGE_PARAMETERS: &[(&str, &str)] = &[("posts", "fillfactor=70"), ("post_targets", "fillfactor=70")];

/// Sets each of `STORAGE_PARAMETERS` that is not set yet. Checked first because `ALTER TABLE`
/// waits for a running autovacuum of the table, and every process start comes through here.
async fn set_storage_parameters(conn: &mut AnyConnection) -> Result<()> {
    for (table, parameter) in STORAGE_PARAMETERS {
        let (set,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pg_class WHERE oid = to_regclass($1) AND $2 = ANY (reloptions)")
            .bind(*table)
            .bind(*parameter)
            .fetch_one(&mut *conn)
            .await?;
        if set == 0 {
            sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {table} SET ({parameter})"))).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn: &mut AnyConnection, _meta| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        })
}
