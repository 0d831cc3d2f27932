//! The drill's clock in the 「訓練」 banner: players have no other view of the
//! exercise's time (the trainer's console has its own). Rendered with the page
//! from the center's clock, which on a drill server is the drill's virtual time;
//! `assets/web/drill_clock.js` moves it on between looks at `GET /api/drill`.

use crate::clock::{Clock, stamp};

/// The drill time as the page was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillClock {
    /// RFC 3339 with the center's offset.
    pub at: String,
    /// `HH:MM`, center time.
    pub hm: String,
    /// Drill minutes per real minute while it runs; 0 while it stands still
    /// (paused, not started, or a clock only a test moves).
    pub speed: u32,
}

impl DrillClock {
    pub fn of(clock: &Clock) -> DrillClock {
        let now = clock.now();
        let speed = match clock.drill_state() {
            Some((speed, false)) => speed,
            _ => 0,
        };
        DrillClock { at: stamp(now), hm: now.format("%H:%M").to_string(), speed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_drill_clock_stands_still_at_its_start() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-07-12T08:00:00+09:00").unwrap();
        let clock = Clock::drill(start, 4);
        assert_eq!(
            DrillClock::of(&clock),
            DrillClock { at: "2026-07-12T08:00:00+09:00".into(), hm: "08:00".into(), speed: 0 }
        );
        clock.steer(|time, real| time.resume(real));
        assert_eq!(DrillClock::of(&clock).speed, 4, "running: the page moves it on at its speed");
    }
}
