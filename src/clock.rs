//! The center's clock. Domain code asks this, never the system, for "now", so that
//! drills can run on virtual time and tests can move time without sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// Japan has had no daylight saving since 1951, so a fixed +09:00 is exact.
pub const JST_SECONDS: i32 = 9 * 3600;

#[derive(Clone)]
pub struct Clock {
    offset: FixedOffset,
    source: Arc<Source>,
}

enum Source {
    System,
    /// Time that only moves when told to (tests; later the drill's virtual clock).
    Manual(Mutex<DateTime<Utc>>),
}

impl Clock {
    pub fn system(offset: FixedOffset) -> Self {
        Clock { offset, source: Arc::new(Source::System) }
    }

    pub fn manual(start: DateTime<FixedOffset>) -> Self {
        Clock { offset: *start.offset(), source: Arc::new(Source::Manual(Mutex::new(start.with_timezone(&Utc)))) }
    }

    /// Now, in the center's time zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let utc = match &*self.source {
            Source::System => Utc::now(),
            Source::Manual(now) => *now.lock().expect("clock lock"),
        };
        utc.with_timezone(&self.offset)
    }

    /// The activity day (活動日): the local calendar date at the center.
    pub fn activity_day(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves a manual clock forward; a system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        match &*self.source {
            Source::System => panic!("the system clock cannot be advanced"),
            Source::Manual(now) => *now.lock().expect("clock lock") += by,
        }
    }

    pub fn offset(&self) -> FixedOffset {
        self.offset
    }
}

/// RFC 3339 with the offset and whole seconds, as stored in every `at` column.
pub fn stamp(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_keeps_its_offset() {
        let start = DateTime::parse_from_rfc3339("2026-07-12T23:30:00+09:00").unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(45));
        assert_eq!(stamp(clock.now()), "2026-07-13T00:15:00+09:00");
        assert_eq!(clock.activity_day(), NaiveDate::from_ymd_opt(2026, 7, 13).unwrap());
    }
}
