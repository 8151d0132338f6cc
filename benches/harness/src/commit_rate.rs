//! `commit-rate`: how many single-row transactions per second the database commits at full
//! durability, each synced by the database itself, through jianyi's pool and `write` (BEGIN
//! IMMEDIATE on SQLite, run with `--sync full-each-commit` for SQLite's own `synchronous = FULL`;
//! a plain transaction on PostgreSQL).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use jianyi_store::{connect, write, DbConn, SqliteSync};

diesel::table! {
    bench_commits (id) {
        id -> BigInt,
        payload -> Text,
    }
}

/// About the size of an audit row's text.
const PAYLOAD: &str = "{\"serial\":1234,\"code\":\"第1234号\",\"category_id\":3,\"proposed_category_id\":3}";

pub fn run(database_url: &str, seconds: u64, sync: SqliteSync, threads: usize) -> crate::Result<()> {
    let threads = threads.max(1);
    let pool = connect(database_url, sync, threads as u32 + 1)?;
    {
        let mut conn = pool.get()?;
        let create = if matches!(*conn, DbConn::Sqlite(_)) {
            "DROP TABLE IF EXISTS bench_commits; CREATE TABLE bench_commits (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);"
        } else {
            "DROP TABLE IF EXISTS bench_commits; CREATE TABLE bench_commits (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL);"
        };
        conn.batch_execute(create)?;
    }
    let commits = AtomicU64::new(0);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let outcome: crate::Result<()> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let pool = &pool;
                let commits = &commits;
                s.spawn(move || -> crate::Result<()> {
                    let mut conn = pool.get()?;
                    while Instant::now() < deadline {
                        write(&mut conn, |c| {
                            diesel::insert_into(bench_commits::table)
                                .values(bench_commits::payload.eq(PAYLOAD))
                                .execute(c)
                        })?;
                        commits.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            w.join().map_err(|_| "a writer panicked")??;
        }
        Ok(())
    });
    let elapsed = started.elapsed().as_secs_f64();
    let dropped = pool.get().map_err(Into::into).and_then(|mut c| -> crate::Result<()> {
        c.batch_execute("DROP TABLE IF EXISTS bench_commits;")?;
        Ok(())
    });
    outcome?;
    dropped?;
    let n = commits.load(Ordering::Relaxed);
    let rate = n as f64 / elapsed;
    eprintln!("{n} single-row commits in {elapsed:.2} s from {threads} connections: {rate:.1}/s");
    println!("COMMIT_RATE={rate:.1}");
    Ok(())
}

/// `register-floor`: what a registration must write, as raw SQL and nothing else: the session's
/// counter, the suggestion's new state, serial and code, and its audit row, in one transaction,
/// per submitted suggestion (taken from LAST down to FIRST), from `threads` connections, for
/// `seconds`. Prints `REGISTER_FLOOR_RATE=<registrations per second>`. Against it, the
/// service's register shows what the API adds (HTTP, the token, the checks, the answer) over the
/// writes themselves.
pub fn register_floor(
    database_url: &str,
    seconds: u64,
    sync: SqliteSync,
    threads: usize,
    (session_id, first, last): (i64, i64, i64),
) -> crate::Result<()> {
    use jianyi_store::schema::{audit_log, sessions, suggestions};
    let threads = threads.max(1);
    let pool = connect(database_url, sync, threads as u32)?;
    let next = std::sync::atomic::AtomicI64::new(last);
    let done = AtomicU64::new(0);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    std::thread::scope(|s| -> crate::Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (pool, next, done) = (&pool, &next, &done);
                s.spawn(move || -> crate::Result<()> {
                    let mut conn = pool.get()?;
                    while Instant::now() < deadline {
                        let id = next.fetch_sub(1, Ordering::Relaxed);
                        if id < first {
                            return Err("register-floor ran out of submitted suggestions".into());
                        }
                        let now = chrono::Utc::now().naive_utc();
                        let registered = write(&mut conn, |c| -> diesel::QueryResult<()> {
                            let serial: i64 = diesel::update(sessions::table.find(session_id))
                                .set(sessions::last_serial.eq(sessions::last_serial + 1))
                                .returning(sessions::last_serial)
                                .get_result(c)?;
                            let code = format!("第{serial:04}号");
                            // Only a submitted one: the service may have registered it already
                            // (then this transaction is undone, the serial with it).
                            diesel::update(suggestions::table.find(id).filter(suggestions::state.eq("submitted")))
                                .set((
                                    suggestions::state.eq("registered"),
                                    suggestions::serial.eq(Some(serial)),
                                    suggestions::code.eq(Some(&code)),
                                    suggestions::registered_at.eq(Some(now)),
                                    suggestions::updated_at.eq(now),
                                    suggestions::version.eq(suggestions::version + 1),
                                ))
                                .execute(c)
                                .and_then(|n| if n == 1 { Ok(()) } else { Err(diesel::result::Error::NotFound) })?;
                            let details = format!(
                                "{{\"serial\":{serial},\"code\":\"{code}\",\"category_id\":1,\"proposed_category_id\":1}}"
                            );
                            diesel::insert_into(audit_log::table)
                                .values((
                                    audit_log::at.eq(now),
                                    audit_log::actor_id.eq(Some(1i64)),
                                    audit_log::actor_name.eq("bench-floor"),
                                    audit_log::role.eq("staff"),
                                    audit_log::action.eq("register"),
                                    audit_log::target_type.eq("suggestion"),
                                    audit_log::target_id.eq(id),
                                    audit_log::suggestion_id.eq(Some(id)),
                                    audit_log::request_id.eq(None::<String>),
                                    audit_log::before_state.eq(Some("submitted")),
                                    audit_log::after_state.eq(Some("registered")),
                                    audit_log::details.eq(details),
                                    audit_log::unit_id.eq(None::<i64>),
                                    audit_log::due_on.eq(None::<chrono::NaiveDate>),
                                    audit_log::on_time.eq(None::<bool>),
                                ))
                                .execute(c)?;
                            Ok(())
                        });
                        match registered {
                            Ok(()) => done.fetch_add(1, Ordering::Relaxed),
                            Err(diesel::result::Error::NotFound) => continue,
                            Err(e) => return Err(e.into()),
                        };
                    }
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            w.join().map_err(|_| "a writer panicked")??;
        }
        Ok(())
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    let rate = n as f64 / elapsed;
    eprintln!("{n} registrations as raw SQL in {elapsed:.2} s from {threads} connections: {rate:.1}/s");
    println!("REGISTER_FLOOR_RATE={rate:.1}");
    Ok(())
}
