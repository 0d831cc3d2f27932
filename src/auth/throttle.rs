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
    locked_until: Option<Instant>,
}

impl LoginThrottle {
    /// `Err(seconds to wait)` while the username is locked out.
    pub fn check(&self, username: &str, now: Instant) -> Result<(), u64> {
        let map = self.by_username.lock().expect("throttle lock");
        match map.get(&key(username)).and_then(|r| r.locked_until) {
            Some(until) if until > now => Err((until - now).as_secs().max(1)),
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, username: &str, now: Instant) {
        let mut map = self.by_username.lock().expect("throttle lock");
        if map.len() >= MAX_TRACKED {
            map.retain(|_, r| r.is_live(now));
        }
        let record = map.entry(key(username)).or_default();
        record.failures.retain(|t| now.duration_since(*t) < WINDOW);
        record.failures.push(now);
        if record.failures.len() >= MAX_FAILURES {
            record.locked_until = Some(now + LOCKOUT);
            record.failures.clear();
        }
    }

    pub fn record_success(&self, username: &str) {
        self.by_username.lock().expect("throttle lock").remove(&key(username));
    }
}

impl Record {
    fn is_live(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|t| t > now) || self.failures.iter().any(|t| now.duration_since(*t) < WINDOW)
    }
}

/// Usernames are case-insensitive in the table, so they are here too.
fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_in_the_window_lock_out_for_five_minutes() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            throttle.record_failure("Yamada", t0 + Duration::from_secs(i));
        }
        assert!(throttle.check("yamada", t0 + Duration::from_secs(5)).is_ok());
        throttle.record_failure("yamada", t0 + Duration::from_secs(5));
        assert!(throttle.check("YAMADA", t0 + Duration::from_secs(6)).is_err());
        assert!(throttle.check("yamada", t0 + Duration::from_secs(5) + LOCKOUT).is_ok());
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            throttle.record_failure("sato", t0 + Duration::from_secs(i));
        }
        throttle.record_failure("sato", t0 + WINDOW + Duration::from_secs(10));
        assert!(throttle.check("sato", t0 + WINDOW + Duration::from_secs(11)).is_ok());
    }
}
