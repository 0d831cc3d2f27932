//! A per-client-address limit for public endpoints: at most `max` requests in
//! any `window`. In memory: a restart forgets it, and a flood never becomes writes.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    max: usize,
    window: Duration,
    by_address: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// Bounds memory when many addresses pass through.
const MAX_TRACKED: usize = 50_000;

impl RateLimiter {
    pub fn new(max: usize, window: Duration) -> RateLimiter {
        RateLimiter { max, window, by_address: Mutex::new(HashMap::new()) }
    }

    /// Counts one request; `Err(seconds to wait)` once the address has had its `max`.
    pub fn check(&self, address: IpAddr, now: Instant) -> Result<(), u64> {
        let mut map = self.by_address.lock().expect("rate limiter lock");
        if map.len() >= MAX_TRACKED {
            map.retain(|_, hits| hits.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let hits = map.entry(address).or_default();
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
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.2".parse().unwrap(), "10.0.0.3".parse().unwrap());
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(limiter.check(a, t0 + Duration::from_secs(i)).is_ok());
        }
        assert_eq!(limiter.check(a, t0 + Duration::from_secs(10)), Err(50));
        assert!(limiter.check(b, t0 + Duration::from_secs(10)).is_ok(), "another address is not affected");
        assert!(limiter.check(a, t0 + Duration::from_secs(61)).is_ok(), "the window slides");
    }
}
