//! Times are stored as UTC timestamps without zone and shown as RFC 3339 with offset.

use chrono::{DateTime, NaiveDateTime, Utc};

pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}
