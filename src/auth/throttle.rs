//! Login throttling: after 5 failed logins for one username within 5 minutes,
//! every attempt for it is refused with 429 for 5 minutes, right password or not.
//!
//! Kept in memory on purpose: a restart forgets it, and a flood of bad logins
//! never turns into database writes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(5 * 60);
pub const LOCKOUT: Duration = Duration::from_secs(5 * 60);
/// Bounds memory when someone sprays random usernames.
const MAX_TRACKED: usize = 10_000;

#[derive(Default)]
pub struct LoginThrottle {
    by_username: Mutex<HashMap<String, Record>>,
}

#[derive(Default)]
struct Record {
    failures: Vec<Instant>,
    /// Attempts whose password check is still running: counted up front, so
    /// parallel guesses cannot all slip past the limit.
    in_flight: usize,
    locked_until: Option<Instant>,
}

/// One login attempt that holds its place in the count until it ends.
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    key: String,
    ended: bool,
}

impl LoginThrottle {
    /// Starts an attempt, or `Err(seconds to wait)` while the username is
    /// locked out or already has its allowance of attempts running.
    pub fn begin(&self, username: &str, now: Instant) -> Result<Attempt<'_>, u64> {
        let key = key(username);
        let mut map = self.by_username.lock().expect("throttle lock");
        if map.len() >= MAX_TRACKED {
            map.retain(|_, r| r.is_live(now));
        }
        let record = map.entry(key.clone()).or_default();
        if let Some(until) = record.locked_until.filter(|until| *until > now) {
            return Err((until - now).as_secs().max(1));
        }
        record.failures.retain(|t| now.duration_since(*t) < WINDOW);
        if record.failures.len() + record.in_flight >= MAX_FAILURES {
            // Attempts still running may yet fail; wait for them.
            return Err(1);
        }
        record.in_flight += 1;
        Ok(Attempt { throttle: self, key, ended: false })
    }
}

impl Attempt<'_> {
    pub fn failed(mut self, now: Instant) {
        self.end(|record| {
            record.failures.push(now);
            if record.failures.len() >= MAX_FAILURES {
                record.locked_until = Some(now + LOCKOUT);
                record.failures.clear();
            }
        });
    }

    pub fn succeeded(mut self) {
        self.end(|record| record.failures.clear());
    }

    fn end(&mut self, update: impl FnOnce(&mut Record)) {
        self.ended = true;
        let mut map = self.throttle.by_username.lock().expect("throttle lock");
        if let Some(record) = map.get_mut(&self.key) {
            record.in_flight = record.in_flight.saturating_sub(1);
            update(record);
        }
    }
}

impl Drop for Attempt<'_> {
    /// An attempt abandoned midway (the client hung up) frees its place.
    fn drop(&mut self) {
        if !self.ended {
            self.end(|_| {});
        }
    }
}

impl Record {
    fn is_live(&self, now: Instant) -> bool {
        self.in_flight > 0
            || self.locked_until.is_some_and(|t| t > now)
            || self.failures.iter().any(|t| now.duration_since(*t) < WINDOW)
    }
}

/// Usernames are case-insensitive in the table, so they are here too.
fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(throttle: &LoginThrottle, username: &str, at: Instant) {
        throttle.begin(username, at).expect("not locked yet").failed(at);
    }

    #[test]
    fn five_failures_in_the_window_lock_out_for_five_minutes() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            fail(&throttle, "Yamada", t0 + Duration::from_secs(i));
        }
        throttle.begin("yamada", t0 + Duration::from_secs(5)).unwrap().failed(t0 + Duration::from_secs(5));
        assert!(throttle.begin("YAMADA", t0 + Duration::from_secs(6)).is_err());
        assert!(throttle.begin("yamada", t0 + Duration::from_secs(5) + LOCKOUT).is_ok());
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            fail(&throttle, "sato", t0 + Duration::from_secs(i));
        }
        fail(&throttle, "sato", t0 + WINDOW + Duration::from_secs(10));
        assert!(throttle.begin("sato", t0 + WINDOW + Duration::from_secs(11)).is_ok());
    }

    #[test]
    fn parallel_attempts_count_before_their_password_checks_finish() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let running: Vec<_> = (0..MAX_FAILURES).map(|_| throttle.begin("kato", now).unwrap()).collect();
        assert!(throttle.begin("kato", now).is_err(), "a sixth parallel guess waits");
        drop(running); // abandoned attempts free their places
        assert!(throttle.begin("kato", now).is_ok());
    }
}
