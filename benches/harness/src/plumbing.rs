//! Small helpers for `benches/run.sh`: the serial check, PostgreSQL databases per run, free ports.

use diesel::connection::SimpleConnection;
use diesel::dsl::{count, max, min};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use jianyi_store::schema::{sessions, suggestions};
use jianyi_store::{connect, SqliteSync};

/// Whether the registered suggestions of a session carry exactly the serials 1..=count, and the
/// session's counter agrees.
pub fn check_serials(database_url: &str, session_id: i64) -> crate::Result<bool> {
    let pool = connect(database_url, SqliteSync::Full, 1)?;
    let mut conn = pool.get()?;
    // One transaction, so that the figures agree with each other.
    conn.transaction(|conn| check(conn, session_id))
}

fn check(conn: &mut jianyi_store::DbConn, session_id: i64) -> crate::Result<bool> {
    let numbered =
        suggestions::table.filter(suggestions::session_id.eq(session_id)).filter(suggestions::serial.is_not_null());
    // Registered means any state from `registered` on (a meeting or a lifecycle moves them
    // further); every one of those must carry a serial.
    let registered: i64 = suggestions::table
        .filter(suggestions::session_id.eq(session_id))
        .filter(suggestions::state.ne_all(["draft", "submitted", "rejected", "withdrawn"]))
        .count()
        .get_result(conn)?;
    let unnumbered: i64 = suggestions::table
        .filter(suggestions::session_id.eq(session_id))
        .filter(suggestions::state.ne_all(["draft", "submitted", "rejected", "withdrawn"]))
        .filter(suggestions::serial.is_null())
        .count()
        .get_result(conn)?;
    let with_serial: i64 = numbered.count().get_result(conn)?;
    let (lo, hi): (Option<i64>, Option<i64>) =
        numbered.select((min(suggestions::serial), max(suggestions::serial))).first(conn)?;
    let distinct: i64 = numbered.select(count(suggestions::serial).aggregate_distinct()).first(conn)?;
    let last: i64 = sessions::table.find(session_id).select(sessions::last_serial).first(conn)?;
    let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(0));
    let gapless = unnumbered == 0
        && registered <= with_serial
        && distinct == with_serial
        && hi == with_serial
        && last == hi
        && (with_serial == 0 || lo == 1);
    println!(
        "REGISTERED={registered} WITH_SERIAL={with_serial} MIN_SERIAL={lo} MAX_SERIAL={hi} DISTINCT_SERIALS={distinct} LAST_SERIAL={last} GAPLESS={}",
        if gapless { "yes" } else { "no" }
    );
    Ok(gapless)
}

fn checked_name(name: &str) -> crate::Result<&str> {
    let ok = name.starts_with("jianyi_bench_")
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(name)
    } else {
        Err(format!("{name:?}: only databases named jianyi_bench_[a-z0-9_]* are created or dropped").into())
    }
}

/// The same server URL with another database name (keeping any `?options`).
fn with_database(url: &str, name: &str) -> crate::Result<String> {
    let scheme_end = url.find("://").ok_or("the URL has no scheme")? + 3;
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let tail = &rest[authority_end..];
    let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
    Ok(format!("{}{}/{name}{query}", &url[..scheme_end], &rest[..authority_end]))
}

pub fn create_db(url: &str, name: &str) -> crate::Result<()> {
    let name = checked_name(name)?;
    let mut conn = PgConnection::establish(url)?;
    // One statement per call: several in one string would run as one transaction, which
    // neither statement allows.
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    conn.batch_execute(&format!("CREATE DATABASE {name}"))?;
    println!("{}", with_database(url, name)?);
    Ok(())
}

pub fn drop_db(url: &str, name: &str) -> crate::Result<()> {
    let name = checked_name(name)?;
    let mut conn = PgConnection::establish(url)?;
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    Ok(())
}

pub fn free_port() -> crate::Result<()> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    println!("{}", listener.local_addr()?.port());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_database_on_the_same_server() {
        let u = |s: &str| with_database(s, "jianyi_bench_x").unwrap();
        assert_eq!(
            u("postgres://postgres@127.0.0.1:5432/postgres"),
            "postgres://postgres@127.0.0.1:5432/jianyi_bench_x"
        );
        assert_eq!(u("postgres://u:p@h/db?sslmode=disable"), "postgres://u:p@h/jianyi_bench_x?sslmode=disable");
        assert_eq!(u("postgresql://h:5432"), "postgresql://h:5432/jianyi_bench_x");
        assert!(checked_name("postgres").is_err());
        assert!(checked_name("jianyi_bench_1; drop").is_err());
    }
}
