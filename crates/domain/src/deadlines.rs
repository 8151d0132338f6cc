//! Deadlines: an anchor date, an amount in working days or months, and whether a last day that is
//! not a working day moves to the next one (DOMAIN.md, "Deadlines"). Until the working-day
//! calendar lands, a working day is Monday to Friday; [`is_working_day`] is the one place to change.

use chrono::{Datelike, Months, NaiveDate, Weekday};

/// Monday to Friday. The State Council's yearly holiday notice replaces this with the calendar.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first working day on or after `day`.
pub fn roll_forward(mut day: NaiveDate) -> NaiveDate {
    while !is_working_day(day) {
        day = day.succ_opt().unwrap_or(day);
    }
    day
}

/// The `n`th working day after `start` (the start day does not count).
pub fn add_working_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut day = start;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// `n` months after `start` (民法典 arts. 201-203): the same day of the last month, or that
/// month's last day where it has none; a last day that is not a working day moves to the next.
pub fn add_months(start: NaiveDate, n: u32) -> NaiveDate {
    roll_forward(start.checked_add_months(Months::new(n)).unwrap_or(start))
}

/// The steps that carry a deadline, with the defaults of DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 签收: 3 working days after the assignment.
    Acknowledge,
    /// 改办: requests are accepted until 5 working days after the assignment.
    ReassignmentWindow,
    /// 协办意见: 1 month after the assignment.
    AssistOpinion,
    /// 答复: 3 months after the assignment (代表法 art. 51).
    Reply,
    /// 征询意见: 20 working days after the reply.
    Feedback,
    /// 重新办理: 1 month after the dissatisfied feedback or the review's return.
    Rehandling,
    /// The office decides a reassignment request within 7 calendar days.
    ReassignmentDecision,
}

impl Step {
    pub fn due(self, anchor: NaiveDate) -> NaiveDate {
        match self {
            Step::Acknowledge => add_working_days(anchor, 3),
            Step::ReassignmentWindow => add_working_days(anchor, 5),
            Step::AssistOpinion => add_months(anchor, 1),
            Step::Reply => add_months(anchor, 3),
            Step::Feedback => add_working_days(anchor, 20),
            Step::Rehandling => add_months(anchor, 1),
            Step::ReassignmentDecision => anchor + chrono::Duration::days(7),
        }
    }
}

/// Whether a step done on `done` met its deadline. Being late never blocks the step.
pub fn on_time(done: NaiveDate, due: NaiveDate) -> bool {
    done <= due
}

/// A window that closes (the reassignment request): refused once its last day has passed.
pub fn window_open(code: &'static str, today: NaiveDate, last_day: NaiveDate) -> Result<(), crate::Refusal> {
    if on_time(today, last_day) {
        Ok(())
    } else {
        Err(crate::Refusal::Rule { code, detail: format!("the window closed on {last_day}") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2026-03-06 is a Friday: 3 working days later is Wednesday the 11th.
        assert_eq!(Step::Acknowledge.due(d(2026, 3, 6)), d(2026, 3, 11));
        // From a Monday, the window of 5 working days closes on the next Monday.
        assert_eq!(Step::ReassignmentWindow.due(d(2026, 3, 2)), d(2026, 3, 9));
        assert_eq!(add_working_days(d(2026, 3, 7), 1), d(2026, 3, 9), "from a Saturday");
    }

    #[test]
    fn months_end_on_the_same_day_or_the_months_last() {
        // Three months after 2026-03-02 (Monday) is 2026-06-02 (Tuesday).
        assert_eq!(Step::Reply.due(d(2026, 3, 2)), d(2026, 6, 2));
        // 2026-11-30 + 3 months: February has no 30th, so its last day, 2027-02-28, a Sunday:
        // the next working day.
        assert_eq!(add_months(d(2026, 11, 30), 3), d(2027, 3, 1));
        // 2026-01-31 + 1 month = 2026-02-28, a Saturday -> Monday 2026-03-02.
        assert_eq!(Step::Rehandling.due(d(2026, 1, 31)), d(2026, 3, 2));
    }

    #[test]
    fn on_time_includes_the_last_day() {
        assert!(on_time(d(2026, 6, 2), d(2026, 6, 2)));
        assert!(!on_time(d(2026, 6, 3), d(2026, 6, 2)));
    }

    proptest! {
        #[test]
        fn deadlines_fall_on_working_days_after_their_anchor(days in 0i64..3000, step in 0usize..6) {
            let anchor = d(2024, 1, 1) + chrono::Duration::days(days);
            let step = [Step::Acknowledge, Step::ReassignmentWindow, Step::AssistOpinion, Step::Reply, Step::Feedback, Step::Rehandling][step];
            let due = step.due(anchor);
            prop_assert!(due > anchor);
            prop_assert!(is_working_day(due));
            prop_assert!(window_open("x", anchor, due).is_ok() && window_open("x", due.succ_opt().unwrap(), due).is_err());
        }

        #[test]
        fn n_working_days_contain_exactly_n_working_days(days in 0i64..3000, n in 1u32..40) {
            let start = d(2024, 1, 1) + chrono::Duration::days(days);
            let end = add_working_days(start, n);
            let count = start.iter_days().skip(1).take_while(|x| *x <= end).filter(|x| is_working_day(*x)).count();
            prop_assert_eq!(count as u32, n);
        }
    }
}
