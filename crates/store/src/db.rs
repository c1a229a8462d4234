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
