//! A per-caller limit: at most `max` requests in any `window`, keyed by the
//! client's address for the center's public endpoints, by the center for the
//! hub's sync. In memory, in one process: a restart forgets it, each process of
//! a hub counts apart, and a flood never becomes writes.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter<K = IpAddr> {
    max: usize,
    window: Duration,
    by_key: Mutex<HashMap<K, VecDeque<Instant>>>,
}

/// Bounds memory when many callers pass through.
const MAX_TRACKED: usize = 50_000;

impl<K: Eq + Hash> RateLimiter<K> {
    pub fn new(max: usize, window: Duration) -> RateLimiter<K> {
        RateLimiter { max, window, by_key: Mutex::new(HashMap::new()) }
    }

    /// Counts one request; `Err(seconds to wait)` once the caller has had its `max`.
    pub fn check(&self, key: K, now: Instant) -> Result<(), u64> {
        let mut map = self.by_key.lock().expect("rate limiter lock");
        if map.len() >= MAX_TRACKED {
            map.retain(|_, hits| hits.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let hits = map.entry(key).or_default();
        while hits.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            hits.pop_front();
        }
        if hits.len() >= self.max {
            let oldest = *hits.front().expect("full, so not empty");
            return Err((self.window - now.duration_since(oldest)).as_secs().max(1));
        }
        hits.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_gets_its_allowance_per_window() {
        let limiter: RateLimiter = RateLimiter::new(3, Duration::from_secs(60));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.2".parse().unwrap(), "10.0.0.3".parse().unwrap());
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(limiter.check(a, t0 + Duration::from_secs(i)).is_ok());
        }
        assert_eq!(limiter.check(a, t0 + Duration::from_secs(10)), Err(50));
        assert!(limiter.check(b, t0 + Duration::from_secs(10)).is_ok(), "another address is not affected");
        assert!(limiter.check(a, t0 + Duration::from_secs(61)).is_ok(), "the window slides");
    }

    #[test]
    fn any_key_will_do_a_centers_number_for_the_hubs_sync() {
        let limiter: RateLimiter<i64> = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limiter.check(7, t0).is_ok() && limiter.check(7, t0).is_ok());
        assert_eq!(limiter.check(7, t0), Err(60));
        assert!(limiter.check(8, t0).is_ok());
    }
}
