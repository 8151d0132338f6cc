//! A congress session (届次、会次): its meeting dates, its categories, and the serial numbers it
//! gives to registered suggestions.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

use crate::error::Refusal;
use crate::lifecycle::Period;

/// The seven categories a new session starts with (DOMAIN.md, the Kunming seed year).
pub const DEFAULT_CATEGORIES: [&str; 7] =
    ["经济建设", "城建交通", "监察司法", "社会事业", "教科文卫", "农林水、生态环保", "党群综合及其他"];

/// The congress's time zone, which dates are counted in (DESIGN.md: Asia/Shanghai, UTC+8, no DST).
pub fn congress_offset() -> FixedOffset {
    // 8 hours is within FixedOffset's range, so this never falls back.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// The date in the congress's time zone on which an instant falls.
pub fn congress_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&congress_offset()).date_naive()
}

/// The meeting of a session: the days the congress sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    start: NaiveDate,
    end: NaiveDate,
}

impl Meeting {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Meeting, Refusal> {
        if end < start {
            return Err(Refusal::field("meeting_end", "must not be before meeting_start"));
        }
        Ok(Meeting { start, end })
    }

    /// A suggestion handed in on a day of the meeting is a meeting suggestion; any other day is
    /// the recess (闭会期间).
    pub fn period_of(&self, submitted_at: DateTime<Utc>) -> Period {
        let day = congress_date(submitted_at);
        if self.start <= day && day <= self.end {
            Period::Meeting
        } else {
            Period::Recess
        }
    }
}

/// The number a registered suggestion gets within its session: 1, 2, 3, ... gapless, never changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Serial(i64);

impl Serial {
    pub fn new(n: i64) -> Option<Serial> {
        (n >= 1).then_some(Serial(n))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// The suggestion's number as printed on letters: `第0001号` (at least four digits).
    pub fn code(self) -> String {
        format!("第{:04}号", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_have_at_least_four_digits() {
        assert_eq!(Serial::new(1).unwrap().code(), "第0001号");
        assert_eq!(Serial::new(291).unwrap().code(), "第0291号");
        assert_eq!(Serial::new(9235).unwrap().code(), "第9235号");
        assert_eq!(Serial::new(12345).unwrap().code(), "第12345号");
        assert_eq!(Serial::new(0), None);
    }

    #[test]
    fn the_period_follows_the_meeting_days_in_beijing_time() {
        let meeting = Meeting::new(d(2026, 1, 20), d(2026, 1, 23)).unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(meeting.period_of(at("2026-01-20T09:00:00+08:00")), Period::Meeting);
        assert_eq!(meeting.period_of(at("2026-01-23T23:59:00+08:00")), Period::Meeting);
        // 2026-01-19 17:00 UTC is already the 20th in Kunming.
        assert_eq!(meeting.period_of(at("2026-01-19T17:00:00Z")), Period::Meeting);
        assert_eq!(meeting.period_of(at("2026-01-19T15:59:00Z")), Period::Recess);
        assert_eq!(meeting.period_of(at("2026-01-24T00:00:00+08:00")), Period::Recess);
    }

    #[test]
    fn a_meeting_cannot_end_before_it_starts() {
        assert!(Meeting::new(d(2026, 1, 23), d(2026, 1, 20)).is_err());
        assert!(Meeting::new(d(2026, 1, 20), d(2026, 1, 20)).is_ok());
    }
}
