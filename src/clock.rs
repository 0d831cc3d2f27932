//! The center's clock. Domain code asks this, never the system, for "now", so that
//! drills can run on virtual time and tests can move time without sleeping.

use std::sync::{Arc, Mutex};
use std::time::Instant;

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
    /// Time that only moves when told to (tests, and drills run `--fast`).
    Manual(Mutex<DateTime<Utc>>),
    /// A drill's clock: real time times a speed, paused and resumed by the trainer.
    Virtual(Mutex<VirtualTime>),
}

/// Drill time as a function of real time: `sim` at the real instant `real`,
/// moving `speed` times as fast while not paused. Every change re-anchors, so
/// earlier drill time is never rewritten. Takes the real instant as an
/// argument so tests need no sleeps.
#[derive(Clone, Copy, Debug)]
pub struct VirtualTime {
    sim: DateTime<Utc>,
    real: Instant,
    speed: u32,
    paused: bool,
}

impl VirtualTime {
    /// Paused at `start`, ready to run at `speed`.
    pub fn new(start: DateTime<Utc>, speed: u32, real: Instant) -> VirtualTime {
        VirtualTime { sim: start, real, speed, paused: true }
    }

    pub fn at(&self, real: Instant) -> DateTime<Utc> {
        if self.paused {
            return self.sim;
        }
        let elapsed = real.saturating_duration_since(self.real) * self.speed;
        self.sim + Duration::from_std(elapsed).unwrap_or(Duration::zero())
    }

    fn anchor(&mut self, real: Instant) {
        self.sim = self.at(real);
        self.real = real;
    }

    pub fn pause(&mut self, real: Instant) {
        self.anchor(real);
        self.paused = true;
    }

    pub fn resume(&mut self, real: Instant) {
        self.anchor(real);
        self.paused = false;
    }

    pub fn set_speed(&mut self, real: Instant, speed: u32) {
        self.anchor(real);
        self.speed = speed;
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    pub fn paused(&self) -> bool {
        self.paused
    }
}

impl Clock {
    pub fn system(offset: FixedOffset) -> Self {
        Clock { offset, source: Arc::new(Source::System) }
    }

    pub fn manual(start: DateTime<FixedOffset>) -> Self {
        Clock { offset: *start.offset(), source: Arc::new(Source::Manual(Mutex::new(start.with_timezone(&Utc)))) }
    }

    /// A drill's clock, paused at `start` until the trainer starts it.
    pub fn drill(start: DateTime<FixedOffset>, speed: u32) -> Self {
        let time = VirtualTime::new(start.with_timezone(&Utc), speed, Instant::now());
        Clock { offset: *start.offset(), source: Arc::new(Source::Virtual(Mutex::new(time))) }
    }

    /// Now, in the center's time zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let utc = match &*self.source {
            Source::System => Utc::now(),
            Source::Manual(now) => *now.lock().expect("clock lock"),
            Source::Virtual(time) => time.lock().expect("clock lock").at(Instant::now()),
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
            Source::System | Source::Virtual(_) => panic!("only a manual clock can be advanced"),
            Source::Manual(now) => *now.lock().expect("clock lock") += by,
        }
    }

    /// Changes a drill clock (pause, resume, speed); `false` for other clocks.
    pub fn steer(&self, change: impl FnOnce(&mut VirtualTime, Instant)) -> bool {
        match &*self.source {
            Source::Virtual(time) => {
                change(&mut time.lock().expect("clock lock"), Instant::now());
                true
            }
            _ => false,
        }
    }

    /// A drill clock's speed and whether it is paused.
    pub fn drill_state(&self) -> Option<(u32, bool)> {
        match &*self.source {
            Source::Virtual(time) => {
                let time = time.lock().expect("clock lock");
                Some((time.speed(), time.paused()))
            }
            _ => None,
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

    #[test]
    fn drill_time_runs_at_its_speed_and_stands_still_when_paused() {
        let start = DateTime::parse_from_rfc3339("2026-07-12T08:00:00+09:00").unwrap().with_timezone(&Utc);
        let real = Instant::now();
        let minutes = |m: u64| std::time::Duration::from_secs(60 * m);
        let mut time = VirtualTime::new(start, 4, real);
        assert_eq!(time.at(real + minutes(10)), start, "ready: paused at the start");
        time.resume(real);
        assert_eq!(time.at(real + minutes(10)), start + Duration::minutes(40));
        time.pause(real + minutes(10));
        assert_eq!(time.at(real + minutes(30)), start + Duration::minutes(40));
        time.resume(real + minutes(30));
        time.set_speed(real + minutes(35), 60);
        // 5 real minutes at 4× then 1 at 60×.
        assert_eq!(time.at(real + minutes(36)), start + Duration::minutes(40 + 20 + 60));
    }
}
