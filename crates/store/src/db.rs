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
use crate::writer::Writer;

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

/// How durable a SQLite commit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    /// The default: an acknowledged write survives a power cut. [`write`] returns only once the
    /// write-ahead log holding its commit is synced to disk, as SQLite's `synchronous = FULL`
    /// does, but one sync serves every commit made before it began (group commit), so that
    /// concurrent writers do not each wait for a sync of their own. See [`GroupSync`].
    Full,
    /// SQLite's own `synchronous = FULL`: a sync of the log inside every commit. The same
    /// durability as `Full`, one sync per commit: the benchmark's raw baseline.
    FullEachCommit,
    /// SQLite's `synchronous = NORMAL`: a commit is durable at the next checkpoint; a power cut
    /// may lose the last commits (never corrupt the database).
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

/// How each PostgreSQL session is set up. Jianyi reads by index, one suggestion or one page at
/// a time; PostgreSQL's default `random_page_cost` (4) prices an index lookup for spinning disks,
/// and plans a suggestion's view with a scan of the deputies instead (a fifth slower on this
/// machine's pgbench). Where the server still has that default, the session uses 1.1, the usual
/// value for SSDs; a value the operator chose is kept.
const PG_SESSION: &str =
    "SELECT set_config('random_page_cost', '1.1', false) WHERE current_setting('random_page_cost') = '4'";

/// Opens connections for the pool and sets each connection up the same way.
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
                let mut conn = PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(PG_SESSION).map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Pg(conn))
            }
            Backend::Sqlite(path) => {
                let mut conn = open_sqlite(path, self.sync)?;
                if self.sync != SqliteSync::FullEachCommit {
                    // The file's writes go through one batching writer (its own file, even if a
                    // relative path now means another). An in-memory database has no file.
                    let file = main_file(&mut conn).map_err(r2d2::Error::QueryError)?;
                    if !file.is_empty() {
                        Writer::register(&file, self.sync);
                    }
                }
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

/// Opens a SQLite connection set up as every connection of the pool is.
pub(crate) fn open_sqlite(path: &str, sync: SqliteSync) -> Result<SqliteConnection, r2d2::Error> {
    let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
    let sync = match sync {
        SqliteSync::FullEachCommit => "FULL",
        // Full: each commit is synced by the writer, in groups (see GroupSync).
        SqliteSync::Full | SqliteSync::Normal => "NORMAL",
    };
    // busy_timeout first: the other pragmas may already need to wait for a lock. A page cache of
    // 1 MiB per connection: the operating system caches the file as well.
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON; PRAGMA synchronous = {sync}; PRAGMA cache_size = -1024; PRAGMA temp_store = MEMORY;"
    ))
    .map_err(r2d2::Error::QueryError)?;
    Ok(conn)
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
        // Connections are checked by `checkout`: a SQLite one cannot be lost; a PostgreSQL one can
        // (a restart, a failover), and is asked once a second at most, not on every request.
        .test_on_check_out(false)
        .build(manager)
        .map_err(|e| StoreError::Unavailable(e.to_string()))
}

/// How long a PostgreSQL connection that answered is trusted before it is asked again.
pub const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// When a pooled PostgreSQL connection last answered a ping.
struct Answered(std::time::Instant);

/// A connection from the pool that works. A PostgreSQL connection that has not answered in the
/// last [`TRUSTED_FOR`] is pinged first (a round trip on every request would cost a tenth of a
/// write); one that does not answer is marked broken, so that the pool drops it, and the next is
/// tried. A connection lost within the second fails its request, and is dropped then.
pub fn checkout(pool: &Pool) -> Result<PooledConn, StoreError> {
    let mut failure = None;
    for _ in 0..=pool.max_size() {
        let mut conn = pool.get()?;
        let now = std::time::Instant::now();
        let trusted = r2d2::PooledConnection::extensions(&conn)
            .get::<Answered>()
            .is_some_and(|a| now.duration_since(a.0) < TRUSTED_FOR);
        let DbConn::Pg(pg) = &mut *conn else { return Ok(conn) };
        if trusted {
            return Ok(conn);
        }
        match pg.batch_execute("SELECT 1") {
            Ok(()) => {
                r2d2::PooledConnection::extensions_mut(&mut conn).insert(Answered(now));
                return Ok(conn);
            }
            Err(e) => {
                // The pool asks `has_broken` when it takes the connection back: now it is.
                AnsiTransactionManager::transaction_manager_status_mut(pg).set_in_error();
                failure = Some(e);
            }
        }
    }
    Err(StoreError::Unavailable(failure.map_or_else(|| "no connection answered".to_owned(), |e| e.to_string())))
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

thread_local! {
    /// Whether this thread is writing in a SQLite transaction already: a write inside it is a
    /// savepoint of it, and must not wait for the writer's turn it holds.
    pub(crate) static WRITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as writing until dropped, also when the write panics (a thread of the
/// blocking pool outlives a panic, and must not be left marked).
pub(crate) struct Writing;

impl Writing {
    pub(crate) fn begin() -> Writing {
        WRITING.set(true);
        Writing
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.set(false);
    }
}

/// Runs `f` in one transaction, committed when it returns `Ok` and rolled back otherwise.
///
/// On SQLite the writes of this process go through the database's [`Writer`]: writes that queue
/// for SQLite's single writer share one transaction, each in its own savepoint, and commit
/// together (see the `writer` module). The transaction begins IMMEDIATE, taking the write lock
/// before its first read, so that writers of other processes queue (in the busy timeout)
/// instead of failing to upgrade a read lock. A write inside a write is a savepoint of it.
///
/// `f` may run on another thread of the process (the writer's combiner, while this one waits):
/// hence `Send`.
pub fn write<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E> + Send) -> Result<T, E>
where
    T: Send,
    E: From<diesel::result::Error> + Send,
{
    if let DbConn::Sqlite(c) = conn {
        if !WRITING.get() {
            if let Some(writer) = Writer::of(&main_file(c)?) {
                return writer.write(f);
            }
            // A file without a writer (in memory, or SQLite's own FULL): one transaction per
            // write, the writers of this process queued in order here rather than in SQLite's
            // busy handler, which sleeps and retries and leaves the database idle in between.
            let _turn = SQLITE_WRITER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let _writing = Writing::begin();
            return transaction(conn, f);
        }
    }
    transaction(conn, f)
}

static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A transaction on the caller's own connection (a savepoint if one is open already).
fn transaction<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let outermost =
        <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn).transaction_depth()?.is_none();
    match conn {
        DbConn::Sqlite(c) if outermost => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        _ => <DbConn as Connection>::TransactionManager::begin_transaction(conn)?,
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

diesel::table! {
    /// SQLite's list of a connection's database files (a table-valued pragma).
    pragma_database_list (seq) {
        seq -> Integer,
        name -> Text,
        file -> Text,
    }
}

/// The file of a SQLite connection's main database, as SQLite names it (absolute).
pub(crate) fn main_file(conn: &mut SqliteConnection) -> diesel::QueryResult<String> {
    pragma_database_list::table
        .filter(pragma_database_list::name.eq("main"))
        .select(pragma_database_list::file)
        .get_result(conn)
}

/// Group commit for SQLite at `synchronous = FULL` durability. The database's connections commit
/// at `synchronous = NORMAL`, which writes the commit to the write-ahead log without syncing it;
/// [`write`] then waits for a sync of the log that began after its commit. One sync serves every
/// commit made before it began, so N writers at once need far fewer than N syncs, and no write is
/// acknowledged before it is on disk. SQLite itself syncs the log before every checkpoint and the
/// database after it at `NORMAL`, so a commit already checkpointed is durable too.
///
/// Unlike SQLite's own FULL, a commit is visible to other connections a moment (one sync) before
/// it is durable. No write that read it is acknowledged before it is durable too (the log is
/// synced in order), but a read may show it; after a power cut in that moment, it would be gone.
///
/// A failed sync is final: the log may have lost pages the kernel could not write, and a later
/// sync that succeeds says nothing about them, so every later write is refused until the process
/// restarts (as PostgreSQL does on a failed fsync).
pub struct GroupSync {
    wal: std::path::PathBuf,
    state: std::sync::Mutex<SyncState>,
    synced: std::sync::Condvar,
}

#[derive(Default)]
struct SyncState {
    /// Tickets taken by commits waiting to be durable (one per commit, in order).
    issued: u64,
    /// Every ticket up to this one is durable.
    durable: u64,
    /// Whether a thread is syncing now (the others wait for it, then perhaps sync again).
    syncing: bool,
    /// A sync failed: why. Final (see [`GroupSync`]).
    failed: Option<String>,
    /// The log file whose directory entry is known to be on disk (a new log is a new entry).
    wal_synced_inode: Option<u64>,
    /// Syncs made (for the tests: fewer than commits when writers overlap).
    syncs: u64,
}

impl GroupSync {
    /// The group sync of the SQLite database `file` (as SQLite names it: absolute).
    pub(crate) fn new(file: &str) -> GroupSync {
        GroupSync { wal: format!("{file}-wal").into(), state: Default::default(), synced: Default::default() }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, SyncState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Returns once the log is synced past a commit that returned before this call.
    pub(crate) fn wait_durable(&self) -> diesel::QueryResult<()> {
        let mut state = self.state();
        state.issued += 1;
        let ticket = state.issued;
        loop {
            if let Some(why) = &state.failed {
                return Err(sync_error(why));
            }
            if state.durable >= ticket {
                return Ok(());
            }
            if state.syncing {
                state = self.synced.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
                continue;
            }
            // This thread syncs for every ticket issued so far.
            state.syncing = true;
            let upto = state.issued;
            let synced_inode = state.wal_synced_inode;
            drop(state);
            let result = self.sync_log(synced_inode);
            state = self.state();
            state.syncing = false;
            state.syncs += 1;
            match result {
                Ok(inode) => {
                    state.durable = state.durable.max(upto);
                    state.wal_synced_inode = Some(inode);
                }
                Err(e) => state.failed = Some(e.to_string()),
            }
            self.synced.notify_all();
        }
    }
}

impl GroupSync {
    /// Syncs the log's data, and its directory when the log is a new file (a log SQLite deleted
    /// and made again); returns the log's inode. The log is opened for each sync, so that the file
    /// synced is the one SQLite writes now. It exists: the committing connection keeps it.
    fn sync_log(&self, synced_inode: Option<u64>) -> std::io::Result<u64> {
        use std::os::unix::fs::MetadataExt;
        let log = std::fs::OpenOptions::new().write(true).open(&self.wal)?;
        log.sync_data()?;
        let inode = log.metadata()?.ino();
        if synced_inode != Some(inode) {
            if let Some(dir) = self.wal.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::File::open(dir)?.sync_all()?;
            }
        }
        Ok(inode)
    }
}

fn sync_error(why: &str) -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(format!(
            "the write-ahead log could not be synced to disk ({why}): writes are refused until the service restarts"
        )),
    )
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

    /// Writers at once on a `Full` database: every write is committed and made durable, each by
    /// a sync that began after its batch's commit, and the syncs are shared.
    #[test]
    fn concurrent_writes_share_their_syncs_and_all_land() {
        use crate::writer::tests::{bodies, database, from_8_threads_25_writes_each, note};
        let (pool, writer, _dir) = database("group-sync");
        let group = writer.group.as_ref().expect("a Full database syncs in groups");
        let before = group.state().issued;
        let batches = writer.stats().batches;
        from_8_threads_25_writes_each(&pool, |conn, body| {
            write(conn, note(body)).expect("the write commits");
        });
        assert_eq!(bodies(&pool).len(), 200);
        let state = group.state();
        let batches = writer.stats().batches - batches;
        assert_eq!(state.issued - before, batches, "one ticket per batch");
        assert!(state.durable >= state.issued, "every commit was made durable");
        assert!(state.syncs >= 1 && state.syncs <= 200, "{} syncs", state.syncs);
        assert!(state.failed.is_none());
    }

    /// A failed sync refuses the writes waiting on it and every write after it: a later sync that
    /// succeeds would not vouch for what the failed one lost.
    #[test]
    fn a_failed_sync_refuses_every_later_write() {
        let group = GroupSync {
            wal: std::path::PathBuf::from("/nonexistent-jianyi-dir/db.sqlite-wal"),
            state: Default::default(),
            synced: Default::default(),
        };
        let first = group.wait_durable().expect_err("a log that cannot be opened is not synced");
        assert!(first.to_string().contains("could not be synced"), "{first}");
        assert!(group.wait_durable().is_err(), "still refused");
        let state = group.state();
        assert_eq!((state.syncs, state.durable), (1, 0), "one failed sync, nothing durable");
    }

    #[test]
    fn only_a_full_database_syncs_in_groups_and_sqlite_syncs_the_rest_itself() {
        let dir = std::env::temp_dir().join(format!("jianyi-each-commit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        // SQLite's own setting: FULL (2) syncs inside each commit; NORMAL (1) leaves it to `write`.
        for (name, sync, level) in [
            ("each.db", SqliteSync::FullEachCommit, 2),
            ("normal.db", SqliteSync::Normal, 1),
            ("full.db", SqliteSync::Full, 1),
        ] {
            let path = dir.join(name);
            let _ = std::fs::remove_file(&path);
            let pool = connect(&format!("sqlite://{}", path.display()), sync, 1).expect("the database opens");
            let mut conn = pool.get().expect("a connection");
            let DbConn::Sqlite(c) = &mut *conn else { unreachable!("a SQLite URL") };
            let grouped = Writer::of(&main_file(c).expect("its file")).is_some_and(|w| w.group.is_some());
            assert_eq!(grouped, sync == SqliteSync::Full, "{name}");
            let synchronous: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
                "(SELECT synchronous FROM pragma_synchronous)",
            ))
            .get_result(c)
            .expect("a query");
            assert_eq!(synchronous, level, "{name}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A PostgreSQL connection lost while idle in the pool (a restart, a failover) is not handed
    /// out: once it is no longer trusted, the ping finds it dead and another is opened.
    #[test]
    fn a_lost_postgres_connection_is_replaced_at_checkout() {
        let Ok(url) = std::env::var("JIANYI_TEST_POSTGRES_URL") else {
            assert!(std::env::var("JIANYI_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"), "PostgreSQL is required");
            return;
        };
        use diesel::sql_types::Integer;
        diesel::define_sql_function!(fn pg_backend_pid() -> Integer);
        diesel::define_sql_function!(fn pg_terminate_backend(pid: Integer) -> Bool);
        let pool = connect(&url, SqliteSync::Full, 1).expect("the database opens");
        let pid = {
            let mut conn = checkout(&pool).expect("a connection");
            diesel::select(pg_backend_pid()).get_result::<i32>(&mut *conn).expect("its backend")
        };
        let mut other = PgConnection::establish(&url).expect("another connection");
        assert!(diesel::select(pg_terminate_backend(pid)).get_result::<bool>(&mut other).expect("terminated"));
        std::thread::sleep(TRUSTED_FOR + Duration::from_millis(100));
        let mut conn = checkout(&pool).expect("a working connection");
        let now: i32 = diesel::select(pg_backend_pid()).get_result(&mut *conn).expect("it answers");
        assert_ne!(now, pid, "a new backend");
    }

    /// A server with PostgreSQL's default page costs gets SSD costs in jianyi's sessions; one
    /// whose operator chose a value keeps it.
    #[test]
    fn postgres_sessions_price_index_lookups_for_ssds_unless_the_operator_chose() {
        let Ok(url) = std::env::var("JIANYI_TEST_POSTGRES_URL") else {
            assert!(std::env::var("JIANYI_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"), "PostgreSQL is required");
            return;
        };
        diesel::define_sql_function!(fn current_setting(name: diesel::sql_types::Text) -> diesel::sql_types::Text);
        let setting = |url: &str| {
            let pool = connect(url, SqliteSync::Full, 1).expect("the database opens");
            let mut conn = checkout(&pool).expect("a connection");
            diesel::select(current_setting("random_page_cost")).get_result::<String>(&mut *conn).expect("the setting")
        };
        let mut plain = PgConnection::establish(&url).expect("a connection");
        let server: String = diesel::select(current_setting("random_page_cost")).get_result(&mut plain).expect("it");
        let expected = if server == "4" { "1.1".to_owned() } else { server };
        assert_eq!(setting(&url), expected);
        // The operator's own choice, here through the connection's options, is kept.
        let sep = if url.contains('?') { '&' } else { '?' };
        assert_eq!(setting(&format!("{url}{sep}options=-c%20random_page_cost%3D2")), "2");
    }

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
