//! SQLite's writes, batched. SQLite lets one writer at a time, and every commit writes the pages
//! it changed to the log again: the session's counter, the last page of the audit log, the
//! index pages they share. So when writes queue, each waiting for the one before, they run one
//! after the other in ONE transaction on the database's writer connection, each in a savepoint of
//! its own, and commit together, once.
//!
//! - A write that fails (a refusal, a conflict) is rolled back to its savepoint alone; the others
//!   of its batch still commit.
//! - No write is answered before its batch has committed (and, with [`GroupSync`], been synced):
//!   acknowledged still means durable.
//! - Each write sees the writes before it, as if they had committed one by one: they did run one
//!   by one, in the order they took their turn.
//! - If the batch itself cannot commit, or a write leaves it unusable (a panic, a savepoint SQLite
//!   dropped with the whole transaction), every write of the batch is refused with the reason:
//!   none of them is in the database. The writer's connection is then closed, which rolls back
//!   anything left, and opened again for the next write.
//!
//! A batch takes the writes that are queued when one ends, up to [`MAX_MEMBERS`] or until it has
//! been open [`MAX_OPEN`], so that the first write of a batch is never kept waiting long.
//!
//! The writes of a batch are run by one thread, the combiner (the thread of one of them): it runs
//! the others' writes too, one after the other, so that the connection does not sit idle while
//! the next write's thread wakes, and each other thread sleeps until its batch is durable and
//! wakes once. On a 2-core machine that made lifecycle actions half as fast again. A write may so
//! run on another thread than its caller's: [`crate::db::write`] asks for `Send`.
//!
//! The writer's commits do not checkpoint (copy the log back into the database), as SQLite's
//! commits do every 1,000 pages, holding the write lock and the writes queued behind it: a
//! thread of the writer's does it beside them, a moment after commits (see [`Checkpoints`]).

use std::collections::VecDeque;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, Connection, SimpleConnection, TransactionManager};

use crate::db::{DbConn, GroupSync, SqliteSync, Writing};

/// At most this many writes share a transaction.
const MAX_MEMBERS: usize = 32;
/// A batch open this long takes no more writes.
const MAX_OPEN: Duration = Duration::from_millis(10);
/// The log, in pages, past which the writer's own commits checkpoint: only if the checkpointer
/// falls that far behind (or could not start).
const CHECKPOINT_BACKSTOP: u32 = 10_000;

type Tm = <DbConn as Connection>::TransactionManager;

/// The writer of one SQLite database file: its connection, its batches, and its group sync.
///
/// The writes are run by one thread at a time, the combiner: the thread of one of the waiting
/// writes, which runs the queued writes of the others too, one after the other, so that the
/// connection never waits for the next writer's thread to wake. Each other write's thread sleeps
/// until its batch is committed and synced, and wakes once. The combiner hands its role to the
/// thread of the next queued write when its batch is committed, then syncs it, then answers it.
pub(crate) struct Writer {
    file: String,
    sync: SqliteSync,
    /// Set with [`SqliteSync::Full`]: the log is synced by the writer, in groups.
    pub(crate) group: Option<GroupSync>,
    queue: Mutex<Queue>,
    /// Writes in the queue, not yet taken by a combiner (for the tests).
    queued: AtomicUsize,
    /// Opened at the first write, and again after a batch that left it unusable. Only the
    /// combiner uses it.
    conn: Mutex<Option<DbConn>>,
    stats: Mutex<Stats>,
    checkpoints: Checkpoints,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// A thread is running writes.
    combining: bool,
}

/// A write, type-erased, as its own thread left it for the combiner: run on the writer's
/// connection (`true`: as the first of its batch), it leaves its result in its thread's frame.
type JobFn<'a> = dyn FnMut(&mut DbConn, bool) -> Ran + Send + 'a;

struct Job {
    run: NonNull<JobFn<'static>>,
    ticket: Arc<Ticket>,
}

// SAFETY: the closure behind `run` is `Send`; see [`Writer::write`] for why it outlives its use.
unsafe impl Send for Job {}

/// What became of a write the combiner ran.
enum Ran {
    /// In the batch (its own refusal, if any, was rolled back to its savepoint).
    Kept,
    /// The batch's first write failed: the transaction, its alone, was rolled back.
    Undone,
    /// It left the transaction unusable: its batch fails.
    Broken(String),
    /// It panicked: its batch fails.
    Panicked,
}

/// How a write's batch ended: the write's answer waits for it.
#[derive(Debug, Clone)]
enum Settled {
    /// Committed and, with group sync, durable.
    Committed,
    /// Not saved, with the reason.
    Failed(String),
    /// Committed but the log could not be synced: the sync's own error.
    Unsynced(String),
}

struct Ticket {
    owner: Thread,
    settled: OnceLock<Settled>,
}

impl Ticket {
    fn settle(&self, how: Settled) {
        let _ = self.settled.set(how);
        self.owner.unpark();
    }
}

/// The combiner's role, and the writes it has taken and not yet answered. Dropped on an unwind
/// (a panic outside the writes, which catch their own), it answers them as failed and hands the
/// role on, so that no write is left waiting.
struct Role<'w> {
    writer: &'w Writer,
    pending: Vec<Arc<Ticket>>,
    held: bool,
}

impl Role<'_> {
    /// Answers the write taken last (it ended alone: refused, or never begun).
    fn settle_last(&mut self, how: Settled) {
        if let Some(ticket) = self.pending.pop() {
            ticket.settle(how);
        }
    }

    /// Hands the role on: to the thread of the first queued write that is not this thread's own
    /// (this thread is about to sync, and would take the role again only after).
    fn release(&mut self) {
        if !std::mem::replace(&mut self.held, false) {
            return;
        }
        let mut queue = lock(&self.writer.queue);
        queue.combining = false;
        let me = std::thread::current().id();
        if let Some(next) = queue.jobs.iter().find(|j| j.ticket.owner.id() != me).or(queue.jobs.front()) {
            next.ticket.owner.unpark();
        }
    }
}

impl Drop for Role<'_> {
    fn drop(&mut self) {
        for ticket in self.pending.drain(..) {
            ticket.settle(Settled::Failed("the writer failed while running this batch".to_owned()));
        }
        self.release();
    }
}

/// Held by a write's thread from the queueing of its job until its ticket is settled: the job
/// points into the thread's frame, which must not be left before. An unwind that would leave it
/// (a bug) aborts instead.
struct Unsettled<'t>(&'t Ticket);

impl Drop for Unsettled<'_> {
    fn drop(&mut self) {
        if self.0.settled.get().is_none() {
            eprintln!("jianyi: a write's thread unwound while the writer might still run its write: aborting");
            std::process::abort();
        }
    }
}

/// Counts, for the tests: batches committed or failed, and the writes they held.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stats {
    pub batches: u64,
    pub writes: u64,
}

static WRITERS: Mutex<Option<std::collections::HashMap<String, Arc<Writer>>>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Writer {
    /// Makes `file` (as SQLite names it) written through a batching writer, once per process.
    pub(crate) fn register(file: &str, sync: SqliteSync) {
        let mut writers = lock(&WRITERS);
        writers.get_or_insert_with(Default::default).entry(file.to_owned()).or_insert_with(|| {
            Arc::new(Writer {
                file: file.to_owned(),
                sync,
                group: (sync == SqliteSync::Full).then(|| GroupSync::new(file)),
                queue: Mutex::default(),
                queued: AtomicUsize::new(0),
                conn: Mutex::default(),
                stats: Mutex::default(),
                checkpoints: Checkpoints::default(),
            })
        });
    }

    pub(crate) fn of(file: &str) -> Option<Arc<Writer>> {
        lock(&WRITERS).as_ref().and_then(|m| m.get(file).cloned())
    }

    #[cfg(test)]
    pub(crate) fn stats(&self) -> Stats {
        *lock(&self.stats)
    }

    #[cfg(test)]
    pub(crate) fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// Runs `f` in the open batch (or a new one) and returns once its batch has committed and,
    /// with group sync, is durable. `f`'s own error rolls back `f`'s writes only.
    pub(crate) fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send,
        T: Send,
        E: From<diesel::result::Error> + Send,
    {
        let mut f = Some(f);
        let mut result: Option<Result<T, E>> = None;
        let mut broke_it = false;
        let mut panicked = None;
        let mut job = |conn: &mut DbConn, first: bool| -> Ran {
            let Some(f) = f.take() else { return Ran::Broken("a write was run twice".into()) };
            let writing = Writing::begin();
            let ran = catch_unwind(AssertUnwindSafe(|| run(conn, first, f)));
            drop(writing);
            match ran {
                Ok(Ok(Step::Kept(r))) => {
                    result = Some(r);
                    Ran::Kept
                }
                Ok(Ok(Step::Undone(e))) => {
                    result = Some(Err(e));
                    Ran::Undone
                }
                Ok(Err(broken)) => {
                    let why = format!("a write left the transaction unusable: {broken}");
                    result = Some(Err(broken.into()));
                    broke_it = true;
                    Ran::Broken(why)
                }
                Err(panic) => {
                    panicked = Some(panic);
                    Ran::Panicked
                }
            }
        };
        let ticket = Arc::new(Ticket { owner: std::thread::current(), settled: OnceLock::new() });
        let erased: NonNull<JobFn<'_>> = NonNull::from(&mut job as &mut JobFn<'_>);
        // SAFETY: only the lifetime is erased. `job`, and what it borrows, live in this frame,
        // which is not left, nor are they touched, until the ticket is settled: by then the
        // combiner has run the job, or dropped it unrun, and keeps no pointer to it (a ticket is
        // settled after the last use of its job). If this frame unwinds before, `Unsettled`
        // aborts the process rather than leave the job behind.
        let run = unsafe { std::mem::transmute::<NonNull<JobFn<'_>>, NonNull<JobFn<'static>>>(erased) };
        let unsettled = Unsettled(&ticket);
        let mut combining = {
            let mut queue = lock(&self.queue);
            queue.jobs.push_back(Job { run, ticket: ticket.clone() });
            self.queued.fetch_add(1, Ordering::SeqCst);
            !std::mem::replace(&mut queue.combining, true)
        };
        loop {
            if combining {
                self.combine();
            }
            if ticket.settled.get().is_some() {
                break;
            }
            combining = {
                let mut queue = lock(&self.queue);
                if ticket.settled.get().is_some() {
                    break;
                }
                !queue.combining && !queue.jobs.is_empty() && !std::mem::replace(&mut queue.combining, true)
            };
            if !combining {
                std::thread::park();
            }
        }
        std::mem::forget(unsettled);
        // The ticket is settled: nobody runs `job` any more, and its results may be read.
        if let Some(panic) = panicked {
            resume_unwind(panic);
        }
        match ticket.settled.get() {
            Some(Settled::Committed) => result.unwrap_or_else(|| Err(batch_error("the write was not run").into())),
            Some(Settled::Failed(_)) if broke_it => result.unwrap_or_else(|| Err(batch_error("it broke").into())),
            Some(Settled::Failed(why)) => Err(batch_error(why).into()),
            Some(Settled::Unsynced(error)) => Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::Unknown,
                Box::new(error.clone()),
            )
            .into()),
            None => unreachable!("the loop ends when the ticket is settled"),
        }
    }

    fn next_job(&self) -> Option<Job> {
        let job = lock(&self.queue).jobs.pop_front();
        if job.is_some() {
            self.queued.fetch_sub(1, Ordering::SeqCst);
        }
        job
    }

    /// Runs one batch of the queued writes, as the combiner: the writes queued when it begins
    /// and while it is open, up to [`MAX_MEMBERS`] writes taken or [`MAX_OPEN`]; commits it;
    /// hands the role on; syncs; answers its writes.
    fn combine(&self) {
        let started = Instant::now();
        let mut role = Role { writer: self, pending: Vec::new(), held: true };
        let mut conn = lock(&self.conn);
        let mut members = 0usize;
        let mut failure: Option<String> = None;
        let mut open = false;
        let (mut batches, mut writes, mut taken) = (0u64, 0u64, 0usize);
        // Every write taken counts, also one refused alone or refused a transaction: a combiner
        // is not kept from its own answer by others' writes for long.
        while failure.is_none() && taken < MAX_MEMBERS && started.elapsed() < MAX_OPEN {
            let Some(job) = self.next_job() else { break };
            taken += 1;
            role.pending.push(job.ticket.clone());
            if !open {
                if let Err(e) = self.begin(&mut conn) {
                    // The connection is suspect: closed, so that the next write opens another.
                    *conn = None;
                    batches += 1;
                    writes += 1;
                    role.settle_last(Settled::Failed(format!("the transaction could not begin: {e}")));
                    continue;
                }
                open = true;
            }
            let Some(c) = conn.as_mut() else { unreachable!("begun above") };
            // SAFETY: the job's thread waits until its ticket is settled (see `write`), which
            // happens after this, its last use.
            let ran = unsafe { (*job.run.as_ptr())(c, members == 0) };
            match ran {
                Ran::Kept => members += 1,
                Ran::Undone => {
                    open = false;
                    batches += 1;
                    writes += 1;
                    role.settle_last(Settled::Committed);
                }
                Ran::Broken(why) => {
                    members += 1;
                    failure = Some(why);
                }
                Ran::Panicked => {
                    members += 1;
                    failure = Some("a write of the same batch panicked".to_owned());
                }
            }
        }
        let settled = match (failure, open) {
            (Some(why), _) => {
                // Closing the connection rolls back all of it.
                *conn = None;
                Settled::Failed(why)
            }
            (None, true) => match conn.as_mut().map(Tm::commit_transaction) {
                Some(Ok(())) => Settled::Committed,
                Some(Err(e)) => {
                    // diesel rolled back after the failed COMMIT; if that failed too, closing does it.
                    if !conn.as_mut().is_some_and(|c| matches!(depth(c), Ok(None))) {
                        *conn = None;
                    }
                    Settled::Failed(format!("the transaction could not commit: {e}"))
                }
                None => Settled::Failed("the writer's connection was lost".to_owned()),
            },
            (None, false) => Settled::Committed,
        };
        drop(conn);
        if members > 0 {
            batches += 1;
            writes += members as u64;
        }
        {
            let mut stats = lock(&self.stats);
            stats.batches += batches;
            stats.writes += writes;
        }
        if let Settled::Failed(why) = &settled {
            tracing::error!(writes = members, "a batch of writes failed: {why}");
        }
        // The next batch may run while this one is synced.
        role.release();
        if members == 0 {
            return;
        }
        let settled = match (settled, &self.group) {
            (Settled::Committed, Some(group)) => match group.wait_durable() {
                Ok(()) => Settled::Committed,
                Err(e) => Settled::Unsynced(e.to_string()),
            },
            (settled, _) => settled,
        };
        if matches!(settled, Settled::Committed) {
            self.checkpoints.request(&self.file, self.sync);
        }
        for ticket in role.pending.drain(..) {
            ticket.settle(settled.clone());
        }
    }

    /// Begins a batch on the writer's connection, opened if need be.
    fn begin(&self, conn: &mut Option<DbConn>) -> diesel::QueryResult<()> {
        if conn.is_none() {
            let mut c = crate::db::open_sqlite(&self.file, self.sync).map_err(|e| batch_error(&e.to_string()))?;
            // Its commits do not copy the log into the database: the checkpointer does, beside.
            c.batch_execute(&format!("PRAGMA wal_autocheckpoint = {CHECKPOINT_BACKSTOP};"))?;
            *conn = Some(DbConn::Sqlite(c));
        }
        let Some(DbConn::Sqlite(c)) = conn.as_mut() else { unreachable!("a SQLite writer") };
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
    }
}

/// The writer's checkpointer: a thread with a connection of its own that, after commits, copies
/// the log into the database (a PASSIVE checkpoint: it never waits for, nor blocks, the writer or
/// the readers). A moment of rest after each lets the commits of that moment share the next.
/// At `synchronous = NORMAL` SQLite syncs the log before a checkpoint and the database after it.
#[derive(Default)]
struct Checkpoints {
    pending: Mutex<bool>,
    wake: Condvar,
    started: std::sync::OnceLock<()>,
}

/// The checkpointer's rest between checkpoints.
const CHECKPOINT_REST: Duration = Duration::from_millis(25);

impl Checkpoints {
    /// Asks for a checkpoint; starts the checkpointer at the first request.
    fn request(&self, file: &str, sync: SqliteSync) {
        *self.pending.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.wake.notify_one();
        self.started.get_or_init(|| {
            let file = file.to_owned();
            let spawned =
                std::thread::Builder::new().name("jianyi-checkpoint".into()).spawn(move || match Writer::of(&file) {
                    Some(writer) => writer.checkpoints.run(&file, sync),
                    None => tracing::error!(file, "no writer to checkpoint for"),
                });
            if let Err(e) = spawned {
                tracing::error!("the checkpointer could not start: {e}");
            }
        });
    }

    fn run(&self, file: &str, sync: SqliteSync) {
        let mut conn = None;
        loop {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            while !*pending {
                pending = self.wake.wait(pending).unwrap_or_else(PoisonError::into_inner);
            }
            *pending = false;
            drop(pending);
            if conn.is_none() {
                conn = crate::db::open_sqlite(file, sync)
                    .map_err(|e| tracing::error!(file, "the checkpointer cannot open the database: {e}"))
                    .ok();
            }
            if let Some(c) = conn.as_mut() {
                if let Err(e) = c.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
                    tracing::warn!(file, "a checkpoint failed (the next commit asks again): {e}");
                    conn = None;
                }
            }
            std::thread::sleep(CHECKPOINT_REST);
        }
    }
}

/// What became of a write that ran.
enum Step<T, E> {
    /// In the batch: its writes if it succeeded; if it failed, its savepoint was rolled back.
    Kept(Result<T, E>),
    /// The batch's first write failed: the whole transaction, its alone, was rolled back.
    Undone(E),
}

/// Runs `f` in the batch: in a savepoint of its own, unless it is the batch's first. The first
/// needs none: if it fails, the transaction holds nothing else and is rolled back whole. That
/// spares the long writes, which usually come alone, SQLite's copies of every page they change.
///
/// The error says the batch is lost: a savepoint could not be released or rolled back (SQLite
/// rolls the whole transaction back on some errors), or `f` left one open.
fn run<T, E>(
    conn: &mut DbConn,
    first: bool,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> diesel::QueryResult<Step<T, E>> {
    if !first {
        Tm::begin_transaction(conn)?;
    }
    let result = f(conn);
    match (first, result) {
        (true, Err(error)) => {
            Tm::rollback_transaction(conn)?;
            match depth(conn)? {
                None => Ok(Step::Undone(error)),
                Some(_) => Err(batch_error("a write left a savepoint open")),
            }
        }
        (true, Ok(value)) => kept(conn, Ok(value)),
        (false, Ok(value)) => {
            Tm::commit_transaction(conn)?;
            kept(conn, Ok(value))
        }
        (false, Err(error)) => {
            Tm::rollback_transaction(conn)?;
            kept(conn, Err(error))
        }
    }
}

/// The write's outcome, once the connection is back at the batch's own level, in the batch's
/// transaction still. SQLite ends the transaction on some errors (a full disk, an I/O error); a
/// write that swallowed one would not say, and the next write's savepoint would then begin, and
/// commit, a transaction of its own. BEGIN is refused inside a transaction: that it is refused
/// is the check.
fn kept<T, E>(conn: &mut DbConn, result: Result<T, E>) -> diesel::QueryResult<Step<T, E>> {
    match depth(conn)? {
        Some(d) if d.get() == 1 => {}
        _ => return Err(batch_error("a write left a savepoint open")),
    }
    match conn.batch_execute("BEGIN") {
        Err(_) => Ok(Step::Kept(result)),
        Ok(()) => Err(batch_error("the transaction ended under a write")),
    }
}

fn depth(conn: &mut DbConn) -> diesel::QueryResult<Option<std::num::NonZeroU32>> {
    Tm::transaction_manager_status_mut(conn).transaction_depth()
}

fn batch_error(why: &str) -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(format!("the write was not saved: {why}")),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::mpsc;

    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use super::*;
    use crate::db::{connect, main_file, write, Pool};

    diesel::table! {
        notes (id) {
            id -> BigInt,
            body -> Text,
            parent -> Nullable<BigInt>,
        }
    }

    /// A fresh database file with a `notes` table whose `parent` is checked at commit.
    /// A test's directory, removed when the test ends (also when it fails).
    pub(crate) struct TempDir(std::path::PathBuf);

    impl std::ops::Deref for TempDir {
        type Target = std::path::Path;
        fn deref(&self) -> &std::path::Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    pub(crate) fn database(name: &str) -> (Pool, Arc<Writer>, TempDir) {
        let dir = std::env::temp_dir().join(format!("jianyi-writer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let pool = connect(&format!("sqlite://{}", dir.join("w.db").display()), SqliteSync::Full, 8).expect("opens");
        let mut conn = pool.get().expect("a connection");
        conn.batch_execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL,
             parent INTEGER REFERENCES notes (id) DEFERRABLE INITIALLY DEFERRED)",
        )
        .expect("a table");
        let DbConn::Sqlite(c) = &mut *conn else { unreachable!("a SQLite URL") };
        let writer = Writer::of(&main_file(c).expect("its file")).expect("a file database has a writer");
        drop(conn);
        (pool, writer, TempDir(dir))
    }

    pub(crate) fn bodies(pool: &Pool) -> Vec<String> {
        let mut conn = pool.get().expect("a connection");
        notes::table.select(notes::body).order(notes::id).load(&mut *conn).expect("the notes")
    }

    pub(crate) fn note(body: &str) -> impl FnOnce(&mut DbConn) -> diesel::QueryResult<usize> + '_ {
        move |c| diesel::insert_into(notes::table).values(notes::body.eq(body)).execute(c)
    }

    /// 8 threads at once, each with a connection of its own, each calling `f` 25 times with a
    /// body of its own ("thread-call").
    pub(crate) fn from_8_threads_25_writes_each(pool: &Pool, f: impl Fn(&mut DbConn, &str) + Sync) {
        std::thread::scope(|s| {
            for t in 0..8 {
                let f = &f;
                s.spawn(move || {
                    let mut conn = pool.get().expect("a connection");
                    for i in 0..25 {
                        f(&mut conn, &format!("{t}-{i}"));
                    }
                });
            }
        });
    }

    /// A write refused after it wrote `body`.
    fn refused(body: &str) -> impl FnOnce(&mut DbConn) -> diesel::QueryResult<usize> + '_ {
        move |c| {
            note(body)(c)?;
            Err(diesel::result::Error::RollbackTransaction)
        }
    }

    /// A note whose parent does not exist: a deferred check, so it fails its batch's COMMIT.
    fn orphan(c: &mut DbConn) -> diesel::QueryResult<usize> {
        diesel::insert_into(notes::table).values((notes::body.eq("orphan"), notes::parent.eq(Some(999)))).execute(c)
    }

    /// Every write of the batch was refused for `why`, and none of them is saved.
    fn assert_none_saved<T>(
        outcomes: Vec<std::thread::Result<Result<T, diesel::result::Error>>>,
        pool: &Pool,
        why: &str,
    ) {
        for outcome in outcomes {
            let error = outcome.expect("no panic").err().expect("the batch did not commit");
            assert!(error.to_string().contains(why), "{error}");
        }
        assert!(bodies(pool).is_empty(), "none of the batch is saved");
    }

    /// A write that queues behind the first.
    type Later<'a, T> = Box<dyn FnOnce(&mut DbConn) -> Result<T, diesel::result::Error> + Send + 'a>;

    /// Runs `first` as the first write of a batch, holding the turn until `then` more writes
    /// queue behind it; those are started, in order, once `first` runs. Returns every outcome.
    fn batch_of<T: Send>(
        pool: &Pool,
        writer: &Writer,
        first: impl FnOnce(&mut DbConn) -> Result<T, diesel::result::Error> + Send,
        then: Vec<Later<'_, T>>,
    ) -> Vec<std::thread::Result<Result<T, diesel::result::Error>>> {
        let queued = then.len();
        let holding = std::sync::atomic::AtomicBool::new(true);
        let holding = &holding;
        std::thread::scope(|s| {
            let (running, started) = mpsc::channel();
            let lead = s.spawn(move || {
                let mut conn = pool.get().expect("a connection");
                write(&mut conn, |c| {
                    running.send(()).expect("the test listens");
                    let deadline = Instant::now() + Duration::from_secs(10);
                    while writer.queued() < queued && Instant::now() < deadline {
                        std::thread::yield_now();
                    }
                    holding.store(false, Ordering::SeqCst);
                    first(c)
                })
            });
            started.recv().expect("the first write runs");
            let mut others = Vec::new();
            for f in then {
                let before = writer.queued();
                others.push(s.spawn(move || {
                    let mut conn = pool.get().expect("a connection");
                    write(&mut conn, f)
                }));
                // In order: each queues before the next starts.
                while writer.queued() == before && holding.load(Ordering::SeqCst) {
                    std::thread::yield_now();
                }
            }
            std::iter::once(lead).chain(others).map(|t| t.join()).collect()
        })
    }

    #[test]
    fn writes_that_queue_share_one_commit_and_a_refused_one_is_undone_alone() {
        let (pool, writer, _dir) = database("share");
        let before = writer.stats();
        let outcomes =
            batch_of(&pool, &writer, note("first"), vec![Box::new(refused("refused")), Box::new(note("third"))]);
        let outcomes: Vec<_> = outcomes.into_iter().map(|o| o.expect("no panic")).collect();
        assert_eq!(outcomes[0].as_ref().ok(), Some(&1));
        assert!(matches!(outcomes[1], Err(diesel::result::Error::RollbackTransaction)), "{:?}", outcomes[1]);
        assert_eq!(outcomes[2].as_ref().ok(), Some(&1));
        assert_eq!(bodies(&pool), ["first", "third"]);
        let after = writer.stats();
        assert_eq!(
            (after.batches - before.batches, after.writes - before.writes),
            (1, 3),
            "one commit for three writes"
        );
    }

    #[test]
    fn a_refused_first_write_undoes_only_itself_and_the_next_write_lands() {
        let (pool, writer, _dir) = database("first");
        let outcomes = batch_of(&pool, &writer, refused("refused"), vec![Box::new(note("second"))]);
        assert!(matches!(outcomes[0], Ok(Err(diesel::result::Error::RollbackTransaction))), "{:?}", outcomes[0]);
        assert!(matches!(outcomes[1], Ok(Ok(1))), "{:?}", outcomes[1]);
        assert_eq!(bodies(&pool), ["second"]);
    }

    #[test]
    fn a_later_write_of_a_batch_sees_the_earlier_ones() {
        let (pool, writer, _dir) = database("order");
        let outcomes = batch_of(
            &pool,
            &writer,
            note("first"),
            vec![Box::new(|c: &mut DbConn| notes::table.filter(notes::body.eq("first")).count().execute(c))],
        );
        assert!(outcomes.iter().all(|o| matches!(o, Ok(Ok(1)))), "{outcomes:?}");
        assert_eq!(writer.stats().batches, 1);
    }

    #[test]
    fn a_batch_that_cannot_commit_refuses_every_write_in_it_and_the_next_write_lands() {
        let (pool, writer, _dir) = database("commit");
        let outcomes = batch_of(&pool, &writer, note("first"), vec![Box::new(orphan)]);
        assert_none_saved(outcomes, &pool, "FOREIGN KEY");
        let mut conn = pool.get().expect("a connection");
        write(&mut conn, note("after")).expect("the next write commits");
        assert_eq!(bodies(&pool), ["after"]);
    }

    /// A refusal may rest on writes before it in the batch: when those are not saved, the
    /// refused write is told the batch failed, not its own reason.
    #[test]
    fn a_refused_write_in_a_batch_that_fails_is_told_the_batch_failed() {
        let (pool, writer, _dir) = database("refused-in-failed");
        let outcomes = batch_of(&pool, &writer, note("first"), vec![Box::new(refused("refused")), Box::new(orphan)]);
        assert_none_saved(outcomes, &pool, "FOREIGN KEY");
    }

    /// A write that ends the transaction behind diesel's back (as SQLite does on a full disk, if
    /// the write swallowed the error) fails, and the next write is not committed alone.
    #[test]
    fn a_write_that_ends_the_transaction_fails_and_the_next_one_lands() {
        let (pool, writer, _dir) = database("ended");
        let outcomes = batch_of(
            &pool,
            &writer,
            |c: &mut DbConn| {
                note("first")(c)?;
                c.batch_execute("ROLLBACK")?;
                Ok(1)
            },
            vec![Box::new(note("second"))],
        );
        let first = outcomes[0].as_ref().expect("no panic").as_ref().expect_err("its transaction ended");
        assert!(first.to_string().contains("ended under a write"), "{first}");
        assert!(matches!(outcomes[1], Ok(Ok(1))), "{:?}", outcomes[1]);
        assert_eq!(bodies(&pool), ["second"]);
    }

    #[test]
    fn a_panicking_write_fails_its_batch_and_the_writer_recovers() {
        let (pool, writer, _dir) = database("panic");
        let outcomes = batch_of(
            &pool,
            &writer,
            note("first"),
            vec![Box::new(|c: &mut DbConn| -> diesel::QueryResult<usize> {
                note("doomed")(c)?;
                panic!("a bug in a write")
            })],
        );
        let first =
            outcomes[0].as_ref().expect("the first write does not panic").as_ref().expect_err("its batch failed");
        assert!(first.to_string().contains("panicked"), "{first}");
        assert!(outcomes[1].is_err(), "the panic reaches its own caller");
        assert!(bodies(&pool).is_empty(), "none of the batch is saved");
        let mut conn = pool.get().expect("a connection");
        write(&mut conn, note("after")).expect("the writer opens a new connection");
        assert_eq!(bodies(&pool), ["after"]);
    }

    /// The writer's commits leave the log to the checkpointer, which copies it into the
    /// database a moment later.
    #[test]
    fn the_checkpointer_copies_the_log_into_the_database() {
        let (pool, _writer, dir) = database("checkpoint");
        let file = dir.join("w.db");
        let before = std::fs::metadata(&file).expect("the database file").len();
        let mut conn = pool.get().expect("a connection");
        let body = "检".repeat(400_000);
        write(&mut conn, note(&body)).expect("the write commits");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&file).expect("the database file").len() < before + 1_000_000 {
            assert!(Instant::now() < deadline, "nothing was checkpointed in 10 s");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whichever thread runs a write (its own, or the combiner's), its answer reaches its caller.
    #[test]
    fn each_write_gets_its_own_answer_whichever_thread_runs_it() {
        let (pool, writer, _dir) = database("answers");
        let before = writer.stats();
        from_8_threads_25_writes_each(&pool, |conn, body| {
            let got: String = write(conn, |c| {
                note(body)(c)?;
                notes::table.order(notes::id.desc()).select(notes::body).first(c)
            })
            .expect("the write commits");
            assert_eq!(got, body, "the answer of the write itself");
        });
        assert_eq!(bodies(&pool).len(), 200);
        assert_eq!(writer.stats().writes - before.writes, 200);
    }

    #[test]
    fn a_write_inside_a_write_is_a_savepoint_of_it() {
        let (pool, _writer, _dir) = database("nested");
        let mut conn = pool.get().expect("a connection");
        write(&mut conn, |c| {
            note("outer")(c)?;
            let inner = write(c, |c| {
                note("inner")(c)?;
                Err::<(), _>(diesel::result::Error::RollbackTransaction)
            });
            assert!(inner.is_err());
            diesel::QueryResult::Ok(())
        })
        .expect("the outer write commits");
        assert_eq!(bodies(&pool), ["outer"]);
    }
}
