//! `seed`: one session (term 14, session 1) with its seven categories, 200 deputies, N registered
//! suggestions (serials 1..N) and M submitted ones, inserted 1,000 rows per transaction.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use jianyi_domain::session::DEFAULT_CATEGORIES;
use jianyi_store::schema::{categories, deputies, sessions, suggestions};
use jianyi_store::{connect, migrate, write, DbConn, SqliteSync};

use crate::text;

const BATCH: usize = 1_000;
const DEPUTIES: usize = 200;

const SURNAMES: [&str; 20] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗",
    "高",
];
const GIVEN: [&str; 12] =
    ["建华", "丽萍", "志强", "晓燕", "国庆", "海波", "秀英", "文斌", "春梅", "永刚", "玉兰", "德明"];
const DELEGATIONS: [&str; 10] = [
    "五华区代表团",
    "盘龙区代表团",
    "官渡区代表团",
    "西山区代表团",
    "呈贡区代表团",
    "晋宁区代表团",
    "安宁市代表团",
    "宜良县代表团",
    "石林县代表团",
    "嵩明县代表团",
];

#[derive(Insertable)]
#[diesel(table_name = deputies, treat_none_as_default_value = false)]
struct NewDeputy {
    name: String,
    delegation: String,
    phone: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Every column but the id, so that one multi-row INSERT carries the whole batch (None binds
/// NULL rather than DEFAULT, which SQLite would insert row by row).
#[derive(Insertable)]
#[diesel(table_name = suggestions, treat_none_as_default_value = false)]
struct NewRow {
    session_id: i64,
    serial: Option<i64>,
    code: Option<String>,
    title: String,
    body: String,
    category_id: Option<i64>,
    lead_deputy_id: i64,
    state: &'static str,
    period: Option<&'static str>,
    time_sensitive: bool,
    submitted_at: Option<NaiveDateTime>,
    registered_at: Option<NaiveDateTime>,
    closed_reason: Option<String>,
    created_by: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
}

/// One multi-row INSERT of `rows` into `table`. diesel's multi-connection does not batch, so
/// the statement is built for the connection underneath.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConn::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
            DbConn::Pg(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}

fn at(date: NaiveDate, seconds: i64) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(seconds)
}

/// Inserts `rows` in transactions of [`BATCH`] rows, each one multi-row INSERT.
fn insert_suggestions(conn: &mut DbConn, rows: impl Iterator<Item = NewRow>) -> crate::Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    let flush = |conn: &mut DbConn, batch: &mut Vec<NewRow>| -> crate::Result<()> {
        if !batch.is_empty() {
            write(conn, |c| insert_all!(c, suggestions::table, &*batch))?;
            batch.clear();
        }
        Ok(())
    };
    for row in rows {
        batch.push(row);
        if batch.len() == BATCH {
            flush(conn, &mut batch)?;
        }
    }
    flush(conn, &mut batch)
}

pub fn run(database_url: &str, count: u32, submitted: u32) -> crate::Result<()> {
    let pool = connect(database_url, SqliteSync::Normal, 1)?;
    let mut conn = pool.get()?;
    migrate(&mut conn)?;
    let existing: i64 = sessions::table.count().get_result(&mut conn)?;
    if existing > 0 {
        return Err("the database already has a session: seed a fresh one".into());
    }
    let started = std::time::Instant::now();
    let meeting_start = NaiveDate::from_ymd_opt(2026, 1, 6).ok_or("date")?;
    let meeting_end = NaiveDate::from_ymd_opt(2026, 1, 10).ok_or("date")?;
    let recess_start = NaiveDate::from_ymd_opt(2026, 2, 1).ok_or("date")?;
    let created = at(NaiveDate::from_ymd_opt(2025, 12, 20).ok_or("date")?, 0);
    let count = i64::from(count);

    let (session_id, category_ids, deputy_ids) = write(&mut conn, |c| -> crate::Result<_> {
        let session_id: i64 = diesel::insert_into(sessions::table)
            .values((
                sessions::term.eq(14),
                sessions::session.eq(1),
                sessions::name.eq("昆明市第十四届人民代表大会第一次会议"),
                sessions::meeting_start.eq(meeting_start),
                sessions::meeting_end.eq(meeting_end),
                sessions::last_serial.eq(count),
                sessions::created_at.eq(created),
            ))
            .returning(sessions::id)
            .get_result(c)?;
        let mut category_ids = vec![];
        for (i, name) in DEFAULT_CATEGORIES.iter().enumerate() {
            let id: i64 = diesel::insert_into(categories::table)
                .values((
                    categories::session_id.eq(session_id),
                    categories::name.eq(*name),
                    categories::position.eq(i as i32 + 1),
                ))
                .returning(categories::id)
                .get_result(c)?;
            category_ids.push(id);
        }
        let new_deputies: Vec<NewDeputy> = (0..DEPUTIES)
            .map(|i| NewDeputy {
                name: format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i / SURNAMES.len()) % GIVEN.len()]),
                delegation: DELEGATIONS[(i * 7) % DELEGATIONS.len()].to_owned(),
                phone: Some(format!("1387100{:04}", i)),
                created_at: created,
                updated_at: created,
            })
            .collect();
        insert_all!(c, deputies::table, &new_deputies)?;
        let deputy_ids: Vec<i64> = deputies::table.select(deputies::id).order(deputies::id.asc()).load(c)?;
        Ok((session_id, category_ids, deputy_ids))
    })?;
    if deputy_ids.len() != DEPUTIES {
        return Err(format!("expected {DEPUTIES} deputies, found {}", deputy_ids.len()).into());
    }

    // Half in the meeting, half in the recess, alternating; one second apart so times differ.
    let row = |i: i64, registered: bool| {
        let idx = i as usize;
        let category = idx % category_ids.len();
        let meeting = i % 2 == 0;
        let submitted_at = if meeting { at(meeting_start, 3_600 + i) } else { at(recess_start, i) };
        let registered_at = registered.then(|| submitted_at + Duration::days(1));
        let serial = registered.then_some(i + 1);
        NewRow {
            session_id,
            serial,
            code: serial.map(|s| format!("第{s:04}号")),
            title: text::title(category, idx),
            body: text::body(category, idx),
            category_id: Some(category_ids[category]),
            lead_deputy_id: deputy_ids[idx % deputy_ids.len()],
            state: if registered { "registered" } else { "submitted" },
            period: Some(if meeting { "meeting" } else { "recess" }),
            time_sensitive: i % 10 == 0,
            submitted_at: Some(submitted_at),
            registered_at,
            closed_reason: None,
            created_by: 1,
            created_at: submitted_at - Duration::hours(1),
            updated_at: registered_at.unwrap_or(submitted_at),
            version: if registered { 3 } else { 2 },
        }
    };
    insert_suggestions(&mut conn, (0..count).map(|i| row(i, true)))?;
    insert_suggestions(&mut conn, (count..count + i64::from(submitted)).map(|i| row(i, false)))?;

    let range = |state: &str, conn: &mut DbConn| -> crate::Result<(Option<i64>, Option<i64>)> {
        use diesel::dsl::{max, min};
        let (lo, hi) = suggestions::table
            .filter(suggestions::session_id.eq(session_id))
            .filter(suggestions::state.eq(state))
            .select((min(suggestions::id), max(suggestions::id)))
            .first(conn)?;
        Ok((lo, hi))
    };
    let (reg_first, reg_last) = range("registered", &mut conn)?;
    let (sub_first, sub_last) = range("submitted", &mut conn)?;
    if let (Some(lo), Some(hi)) = (reg_first, reg_last) {
        if hi - lo + 1 != count {
            return Err(format!("registered ids {lo}..{hi} are not contiguous").into());
        }
    }
    if let (Some(lo), Some(hi)) = (sub_first, sub_last) {
        if hi - lo + 1 != i64::from(submitted) {
            return Err(format!("submitted ids {lo}..{hi} are not contiguous").into());
        }
    }
    if let DbConn::Pg(c) = &mut *conn {
        // What autovacuum would have done by the time a real table reached this size.
        diesel::connection::SimpleConnection::batch_execute(c, "ANALYZE")?;
    }
    let show = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    println!(
        "REGISTERED_FIRST={} REGISTERED_LAST={} SUBMITTED_FIRST={} SUBMITTED_LAST={}",
        show(reg_first),
        show(reg_last),
        show(sub_first),
        show(sub_last)
    );
    eprintln!(
        "seeded session {session_id}: {count} registered and {submitted} submitted suggestions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
