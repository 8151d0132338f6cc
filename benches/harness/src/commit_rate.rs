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
