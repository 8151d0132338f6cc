//! Times are stored as UTC timestamps without zone and shown as RFC 3339 with offset.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{IsNull, Output, ToSql};
use diesel::sql_types::{Date, Timestamp};
use diesel::sqlite::Sqlite;

pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// Declares a value to bind to many rows, written out once in SQLite's text form (`$format`, as
/// diesel writes a `$value`) instead of once per row; PostgreSQL's binary form costs nothing to
/// make. `Copy`: a statement diesel keeps prepared owns its values.
macro_rules! written_once {
    ($(#[$doc:meta])* $name:ident { $field:ident: $value:ty } as $st:ty, $format:literal, $n:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, AsExpression)]
        #[diesel(sql_type = $st)]
        pub struct $name {
            $field: $value,
            text: Text<$n>,
        }

        impl $name {
            pub fn new($field: $value) -> $name {
                $name { $field, text: Text::of($field.format($format)) }
            }
        }

        impl ToSql<$st, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> diesel::serialize::Result {
                match self.text.get() {
                    Some(text) => out.set_value(text),
                    None => out.set_value(self.$field.format($format).to_string()),
                }
                Ok(IsNull::No)
            }
        }

        impl ToSql<$st, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
                <$value as ToSql<$st, Pg>>::to_sql(&self.$field, out)
            }
        }
    };
}

written_once! {
    /// A time to bind to many rows (the assignment meeting writes one time into tens of thousands).
    Stamp { at: NaiveDateTime } as Timestamp, "%F %T%.f", 32
}

written_once! {
    /// A date to bind to many rows.
    Day { on: NaiveDate } as Date, "%F", 16
}

/// A short text kept inline. chrono's widest time is 32 bytes and its widest date 13; should a
/// text not fit, it is left empty and the value is written out at each use instead.
#[derive(Debug, Clone, Copy)]
struct Text<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    fn of(value: impl std::fmt::Display) -> Text<N> {
        let s = value.to_string();
        let mut bytes = [0; N];
        match bytes.get_mut(..s.len()) {
            Some(head) => {
                head.copy_from_slice(s.as_bytes());
                Text { bytes, len: s.len() }
            }
            None => Text { bytes, len: 0 },
        }
    }

    fn get(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes[..self.len]).ok().filter(|s| !s.is_empty())
    }
}

/// Inserts many rows in statements of 500 rows. Full statements have one text, so each
/// connection prepares it once (diesel caches a statement over an array, not over a slice, and
/// only if its values own their data).
#[macro_export]
macro_rules! insert_many {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        let mut inserted = 0usize;
        let mut chunks = rows.chunks_exact(500);
        for chunk in &mut chunks {
            let full: &[_; 500] = chunk.try_into().expect("chunks_exact gives full chunks");
            inserted += $crate::on_backend!(&mut *$conn, c => diesel::insert_into($table).values(full).execute(c))?;
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            inserted += $crate::on_backend!(&mut *$conn, c => diesel::insert_into($table).values(rest).execute(c))?;
        }
        Ok::<usize, diesel::result::Error>(inserted)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    /// A Stamp and a Day are bound as the very text diesel binds for a NaiveDateTime and a
    /// NaiveDate (so that rows written either way sort and compare alike), and read back as them.
    #[test]
    fn stamps_and_days_are_written_as_diesel_writes_times_and_dates() {
        let mut conn = SqliteConnection::establish(":memory:").expect("a database");
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date");
        let times = [day.and_hms_micro_opt(9, 5, 7, 120_000), day.and_hms_opt(0, 0, 0)];
        for at in times.into_iter().map(|t| t.expect("a valid time")) {
            let ours: (String, String) = diesel::select((
                sql::<Text>("CAST(").bind::<Timestamp, _>(Stamp::new(at)).sql(" AS TEXT)"),
                sql::<Text>("CAST(").bind::<Date, _>(Day::new(at.date())).sql(" AS TEXT)"),
            ))
            .get_result(&mut conn)
            .expect("a query");
            let diesels: (String, String) = diesel::select((
                sql::<Text>("CAST(").bind::<Timestamp, _>(at).sql(" AS TEXT)"),
                sql::<Text>("CAST(").bind::<Date, _>(at.date()).sql(" AS TEXT)"),
            ))
            .get_result(&mut conn)
            .expect("a query");
            assert_eq!(ours, diesels);
            let back: (NaiveDateTime, NaiveDate) =
                diesel::select((Stamp::new(at).into_sql::<Timestamp>(), Day::new(at.date()).into_sql::<Date>()))
                    .get_result(&mut conn)
                    .expect("a query");
            assert_eq!(back, (at, at.date()));
        }
    }
}
