//! One rule for every date and time a request brings. A day is an activity
//! day of this center: from its first day (or a year back, whichever is
//! earlier) up to a year ahead. A time at which something happened (a call
//! received, a survey made) is not in the future beyond clock skew, nor before
//! that first day. Anything else is 422 naming the field — never arithmetic
//! on the year 262142, which panics.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use sqlx::SqliteExecutor;

use crate::clock::Clock;
use crate::error::AppError;
use crate::fields::invalid;

/// How far a client's clock may run ahead of the center's.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// How far back and ahead of today an activity day may lie.
const REACH: Duration = Duration::days(366);

#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub first: NaiveDate,
    pub last: NaiveDate,
    now: DateTime<FixedOffset>,
}

impl Window {
    /// The window as of the clock, from the day of the log's first event.
    pub async fn read<'c>(conn: impl SqliteExecutor<'c>, clock: &Clock) -> Result<Window, sqlx::Error> {
        let first_event: Option<String> =
            sqlx::query_scalar("SELECT at FROM events ORDER BY seq LIMIT 1").fetch_optional(conn).await?;
        let opened = first_event.and_then(|at| at.get(..10)?.parse().ok());
        Ok(Window::new(clock.now(), clock.activity_day(), opened))
    }

    pub fn new(now: DateTime<FixedOffset>, today: NaiveDate, opened: Option<NaiveDate>) -> Window {
        let year_back = today - REACH;
        let first = opened.map_or(year_back, |opened| opened.min(year_back));
        Window { first, last: today + REACH, now }
    }

    /// An activity day in the window.
    pub fn day(&self, field: &str, day: NaiveDate) -> Result<NaiveDate, AppError> {
        if (self.first..=self.last).contains(&day) {
            return Ok(day);
        }
        Err(invalid(
            field,
            format!("{field} は {} から {} までの日付で指定してください。", self.first, self.last),
            format!("{field} must be a day from {} to {}.", self.first, self.last),
        ))
    }

    pub fn day_if_given(&self, field: &str, day: Option<NaiveDate>) -> Result<Option<NaiveDate>, AppError> {
        day.map(|day| self.day(field, day)).transpose()
    }

    /// When something happened: not ahead of now (beyond skew), not before the first day.
    pub fn past_time(&self, field: &str, label_ja: &str, at: DateTime<FixedOffset>) -> Result<(), AppError> {
        if at.date_naive() >= self.first && at <= self.now + CLOCK_SKEW {
            return Ok(());
        }
        Err(invalid(
            field,
            format!("{label_ja}は {} 以降、現在より前の日時で入力してください。", self.first),
            format!("{field} must lie between {} and now.", self.first),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window() -> Window {
        let now = DateTime::parse_from_rfc3339("2026-07-12T08:00:00+09:00").unwrap();
        Window::new(now, now.date_naive(), NaiveDate::from_ymd_opt(2026, 7, 1))
    }

    #[test]
    fn activity_days_lie_a_year_around_today_and_absurd_years_are_refused() {
        let w = window();
        for ok in ["2026-07-12", "2025-07-11", "2027-07-13", "2026-07-01"] {
            assert!(w.day("date", ok.parse().unwrap()).is_ok(), "{ok}");
        }
        for bad in ["+262142-12-31", "-262143-01-01", "1900-01-01", "2027-07-14", "2025-07-10"] {
            let error = w.day("date", bad.parse().unwrap()).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("date"), "{bad}");
        }
    }

    #[test]
    fn a_center_open_longer_than_a_year_keeps_its_whole_history() {
        let now = DateTime::parse_from_rfc3339("2026-07-12T08:00:00+09:00").unwrap();
        let w = Window::new(now, now.date_naive(), NaiveDate::from_ymd_opt(2024, 1, 1));
        assert!(w.day("date", "2024-01-01".parse().unwrap()).is_ok());
        assert!(w.day("date", "2023-12-31".parse().unwrap()).is_err());
    }

    #[test]
    fn a_time_that_happened_is_not_in_the_future_nor_from_1900() {
        let w = window();
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
        assert!(w.past_time("received_at", "受付日時", at("2026-07-12T08:04:00+09:00")).is_ok());
        assert!(w.past_time("received_at", "受付日時", at("2026-07-10T08:00:00+09:00")).is_ok());
        assert!(w.past_time("received_at", "受付日時", at("2026-07-12T08:06:00+09:00")).is_err());
        assert!(w.past_time("received_at", "受付日時", at("1900-01-01T00:00:00+09:00")).is_err());
    }
}
