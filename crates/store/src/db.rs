//! Connections to either database, chosen from the URL's scheme, and the one way to write:
//! [`write`], a transaction that on SQLite takes the write lock at once.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StoreError;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file path.
    Sqlite(String),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

/// How durable a SQLite commit is. `Full` (the default): an acknowledged write survives a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    Full,
    Normal,
}

impl Backend {
    /// `sqlite://jianyi.db`, `sqlite:///var/lib/jianyi.db`, or `postgres://…` / `postgresql://…`.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err(format!("database URL {url:?} names no file"));
            }
            return Ok(Backend::Sqlite(path.to_owned()));
        }
        Err(format!("database URL {url:?} is neither sqlite://PATH nor postgres://USER@HOST/DB"))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Backend::Sqlite(_))
    }
}

/// Opens connections for the pool and sets each SQLite connection up the same way.
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
    sync: SqliteSync,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.backend {
            Backend::Postgres(url) => {
                PgConnection::establish(url).map(DbConn::Pg).map_err(r2d2::Error::ConnectionError)
            }
            Backend::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                let sync = match self.sync {
                    SqliteSync::Full => "FULL",
                    SqliteSync::Normal => "NORMAL",
                };
                // busy_timeout first: the other pragmas may already need to wait for a lock. A page
                // cache of 1 MiB per connection: the operating system caches the file as well.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON; PRAGMA synchronous = {sync}; PRAGMA cache_size = -1024;"
                ))
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        // A connection left inside a transaction by a panic must not go back into the pool.
        std::thread::panicking()
            || match conn {
                DbConn::Pg(c) => c.is_broken(),
                DbConn::Sqlite(c) => c.is_broken(),
            }
    }
}

/// Opens the database, sets SQLite's journal to WAL once, and builds the pool. Fails fast (a few
/// seconds) when the database cannot be reached.
pub fn connect(url: &str, sync: SqliteSync, max_size: u32) -> Result<Pool, StoreError> {
    let backend = Backend::from_url(url).map_err(StoreError::Config)?;
    let manager = Manager { backend: backend.clone(), sync };
    if let Backend::Sqlite(_) = backend {
        // WAL is a property of the file: set it once, before several connections contend.
        let mut conn = manager.connect().map_err(|e| StoreError::Unavailable(format!("{url}: {e}")))?;
        conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    }
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        // A SQLite connection cannot be lost, so it is not pinged before every checkout. A
        // PostgreSQL one can (a restart, a failover), and nothing else would notice: it is pinged,
        // at the cost of a round trip per request.
        .test_on_check_out(!backend.is_sqlite())
        .build(manager)
        .map_err(|e| StoreError::Unavailable(e.to_string()))
}

/// Applies every pending migration of the connection's backend. On PostgreSQL an advisory lock
/// keeps two replicas starting at once from racing.
pub fn migrate(conn: &mut DbConn) -> Result<usize, StoreError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConn::Pg(c) => {
            c.batch_execute("SELECT pg_advisory_lock(7239450117)")?;
            let result = c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len());
            c.batch_execute("SELECT pg_advisory_unlock(7239450117)")?;
            result
        }
    };
    applied.map_err(|e| StoreError::Migration(e.to_string()))
}

/// SQLite lets one writer at a time; writers of this process queue here, in order, rather than
/// in SQLite's busy handler, which sleeps and retries (1, 2, 5, 10 ms…) and leaves the database
/// idle between attempts. Writers of other processes still meet the busy timeout.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// Whether this thread holds [`SQLITE_WRITER`] (a nested write must not wait for itself).
    static WRITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` in one transaction, committed when it returns `Ok` and rolled back otherwise. On
/// SQLite the transaction begins IMMEDIATE, taking the write lock before its first read, so that
/// concurrent writers queue instead of failing to upgrade a read lock.
pub fn write<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let _queue = match conn {
        DbConn::Sqlite(_) if !WRITING.get() => {
            let guard = SQLITE_WRITER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            WRITING.set(true);
            Some(WriterTurn(guard))
        }
        _ => None,
    };
    transaction(conn, f)
}

/// The writer's turn: released (and the thread marked free) when the transaction ends.
struct WriterTurn(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

impl Drop for WriterTurn {
    fn drop(&mut self) {
        WRITING.set(false);
    }
}

fn transaction<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// Runs one expression on the backend's own connection: for the few statements the
/// multi-backend connection cannot express, such as multi-row inserts.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// Answers whether the database responds.
pub fn ping(conn: &mut DbConn) -> Result<(), StoreError> {
    conn.batch_execute("SELECT 1").map_err(|e| StoreError::Unavailable(e.to_string()))
}

/// Whether the connection is to SQLite (for the few statements whose dialects differ).
pub fn is_sqlite(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Sqlite(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_follows_the_url_scheme() {
        assert_eq!(Backend::from_url("sqlite://jianyi.db"), Ok(Backend::Sqlite("jianyi.db".into())));
        assert_eq!(Backend::from_url("sqlite:///var/lib/j.db"), Ok(Backend::Sqlite("/var/lib/j.db".into())));
        assert!(matches!(Backend::from_url("postgres://u@h/db"), Ok(Backend::Postgres(_))));
        assert!(matches!(Backend::from_url("postgresql://u@h/db"), Ok(Backend::Postgres(_))));
        assert!(Backend::from_url("mysql://x").is_err());
        assert!(Backend::from_url("sqlite://").is_err());
        assert!(Backend::from_url("jianyi.db").is_err());
    }
}
